package io.minify.sensor.remote;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.fuzz.Fuzzer;
import io.minify.sensor.AccessLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The remote sensor's stdout comes through the engine (and from a container that runs in
 * it): any bytes, cut anywhere, end in a log or an IOException (a MonitorOverflowException
 * is one), and a log keeps its promises.
 */
class SensorOutputFuzzTest {

  @Test
  void sensorStreams() {
    Fuzzer.ofBytes("SensorOutput")
        .seeds(ascii("armed\ne ox " + hex("/usr/bin/cat") + "\ne d " + hex("/etc") + "\ne ow " + hex("/tmp/x")
                + "\ne w " + hex("/tmp/y") + "\ne x " + hex("/bin/sh") + "\nend 12\n"),
            ascii("armed\ne o " + hex("/etc/hosts") + "\nlost the kernel queue overflowed (FAN_Q_OVERFLOW)\nend 3\n"),
            ascii("error cannot pin process 123: No such file or directory\n"),
            ascii("armed\ne o 2f62616400ff\nend 1\n"),
            ascii("armed\ne o " + "2f61".repeat(300) + "\nend 18446744073709551615\n"),
            ascii("armed\ne o " + hex("/x")), // no end
            new byte[] {'a', 'r', 'm', 'e', 'd', '\n', (byte) 0xff, '\n'})
        .allowing(IOException.class)
        .run(input -> {
          SensorOutput out = new SensorOutput();
          // The engine's frames split lines anywhere: feed the input in uneven chunks.
          try (LineSplitter splitter = new LineSplitter(out::accept)) {
            int at = 0;
            for (int size = 1; at < input.length; size = size % 13 + 1) {
              int n = Math.min(size, input.length - at);
              splitter.write(input, at, n);
              at += n;
            }
          }
          AccessLog log = out.log();
          assertTrue(out.ended() && out.error().isEmpty());
          assertTrue(log.files().containsAll(log.executed()), "executed within files: " + log);
          assertTrue(log.events() >= 0);
        });
  }

  private static String hex(String path) {
    return HexFormat.of().formatHex(path.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
