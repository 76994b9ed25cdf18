package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden rows of /proc/PID/net/tcp and tcp6, as an x86_64 kernel writes them. */
class ProcNetTcpTest {

  private static final String TCP = """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40123 1 0000000081171ff5 100 0 0 10 0
         1: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 40124 1 00000000613a99d7 100 0 0 10 0
         2: 0B00A8C0:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40125 1 00000000bc4455be 100 0 0 10 0
         3: 0100007F:8007 0100007F:8338 06 00000000:00000000 03:00000CA8 00000000     0        0 0 3 00000000613a99d7
         4: 0B00007F:A1B2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40126 1 0000000007ca5c59 100 0 0 10 0
         5: 0200A8C0:1F90 0100A8C0:D2F0 01 00000000:00000000 02:000AFC3A 00000000     0        0 40127 2 00000000d423842a 20 4 30 10 -1
      """;

  private static final String TCP6 = """
        sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40200 1 00000000672722f1 100 0 0 10 0
         1: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40201 1 00000000672722f2 100 0 0 10 0
         2: 0000000000000000FFFF00000100007F:1F93 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40202 1 00000000672722f3 100 0 0 10 0
         3: 0000000000000000FFFF00000100007F:C114 0000000000000000FFFF00000100007F:8008 06 00000000:00000000 03:00001243 00000000     0        0 0 3 00000000d423842a
         4: 000080FE00000000FF0F02A0D1ADFFFE:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40203 1 00000000672722f4 100 0 0 10 0
      """;

  private static List<String> render(List<ProcNetTcp.Listener> listeners) {
    return listeners.stream().map(l -> l.host() + " " + l.port() + (l.loopback() ? " loopback" : "")).toList();
  }

  @Test
  void listeningRowsOfTcpAreReadLittleEndianAndTheRestSkipped() {
    assertEquals(List.of("127.0.0.1 8080 loopback", "0.0.0.0 8081", "192.168.0.11 80", "127.0.0.11 41394 loopback"),
        render(ProcNetTcp.listening(TCP, ByteOrder.LITTLE_ENDIAN)),
        "state 0A only: the TIME_WAIT (06) and ESTABLISHED (01) rows and the header are not listeners");
  }

  @Test
  void listeningRowsOfTcp6AreFourLittleEndianWords() {
    assertEquals(List.of("::1 8080 loopback", "0:0:0:0:0:0:0:0 8082", "127.0.0.1 8083 loopback",
            "fe80:0:0:0:a002:fff:feff:add1 22"),
        render(ProcNetTcp.listening(TCP6, ByteOrder.LITTLE_ENDIAN)),
        "a v4-mapped ::ffff:127.0.0.1 is the IPv4 loopback");
  }

  @Test
  void aBigEndianKernelPrintsTheWordsInNetworkOrder() {
    // the kernel pads rows of net/tcp with spaces to a fixed width
    String row = "   0: 7F000001:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40123 1"
        + " 0000000081171ff5 100 0 0 10 0                      \n";
    assertEquals(List.of("127.0.0.1 8080 loopback"), render(ProcNetTcp.listening(row, ByteOrder.BIG_ENDIAN)));
    assertEquals(List.of("1.0.0.127 8080"), render(ProcNetTcp.listening(row, ByteOrder.LITTLE_ENDIAN)));
  }

  @Test
  void rowsOfAnotherFormAreSkippedNotErrors() {
    String odd = String.join("\n",
        "",
        "garbage",
        "   0: 0100007F:1F90",
        "   1: 0100007Z:1F90 00000000:0000 0A",
        "   2: 0100007F:1F9 00000000:0000 0A",
        "   3: 0100007F1F90 00000000:0000 0A",
        "   4: 01000:1F90 00000000:0000 0A",
        "   5: 0100007F:1F90 00000000:0000 0a",
        "   6: ０100007F:1F90 00000000:0000 0A",
        "0100007F:1F90 00000000:0000 0A x");
    assertEquals(List.of("127.0.0.1 8080 loopback"), render(ProcNetTcp.listening(odd, ByteOrder.LITTLE_ENDIAN)),
        "only row 5 has the form (its state in lower case is the same state)");
    assertEquals(List.of(), ProcNetTcp.listening("", ByteOrder.LITTLE_ENDIAN));
  }

  @Test
  void loopbackIsTheWholeOf127SlashEightAndColonColonOne() {
    List<ProcNetTcp.Listener> all = ProcNetTcp.listening(TCP + TCP6, ByteOrder.LITTLE_ENDIAN);
    assertTrue(all.stream().filter(l -> l.port() == 41394).allMatch(ProcNetTcp.Listener::loopback), "127.0.0.11");
    assertFalse(all.stream().filter(l -> l.port() == 8082).anyMatch(ProcNetTcp.Listener::loopback), "::");
  }
}
