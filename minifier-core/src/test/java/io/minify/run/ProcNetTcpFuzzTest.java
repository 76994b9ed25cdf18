package io.minify.run;

import io.minify.fuzz.Fuzzer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A /proc/PID/net/tcp or tcp6 table: its listeners, never an exception (odd rows are skipped). */
class ProcNetTcpFuzzTest {

  @Test
  void tables() {
    Fuzzer.ofText("proc-net-tcp", List.of(":", " ", "\n", "0A", "0100007F", "1F90", "00000000000000000000000001000000",
            "FFFF", "-", "+", "0x", "\t"))
        .seeds("  sl  local_address rem_address   st\n   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000\n",
            "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 0\n", "", "\n\n")
        .run(text -> {
          ProcNetTcp.listening(text, ByteOrder.LITTLE_ENDIAN).forEach(ProcNetTcp.Listener::host);
          ProcNetTcp.listening(text, ByteOrder.BIG_ENDIAN).forEach(ProcNetTcp.Listener::loopback);
        });
  }
}
