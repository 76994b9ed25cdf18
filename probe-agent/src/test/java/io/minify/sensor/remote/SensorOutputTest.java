package io.minify.sensor.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import io.minify.sensor.MonitorOverflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SensorOutputTest {

  @Test
  void aNameThatIsNotUtf8ComesBackAsTheSameBytes() throws IOException {
    byte[] name = {'/', 't', 'm', 'p', '/', 'b', 'a', 'd', (byte) 0xff, (byte) 0xc3, '\n', '\\', '.', 't', 'x', 't'};
    AccessLog log = parse("armed", "e ow " + hex(name), "end 2");
    assertEquals(1, log.files().size(), log.toString());
    assertArrayEquals(name, log.files().first().bytes());
    assertArrayEquals(name, log.written().first().bytes());
  }

  @Test
  void flagsMapToTheSetsOfTheLog() throws IOException {
    AccessLog log = parse("armed",
        "e d " + hex("/usr/lib"),
        "e ox " + hex("/usr/bin/cat"),
        "e o " + hex("/etc/os-release"),
        "e ow " + hex("/tmp/out"),
        "e w " + hex("/tmp/only-written"),
        "e oxw " + hex("/tmp/tool"),
        "e o " + hex("/run/app"),
        "e x " + hex("/run/app"), // a later exec of a file opened before: the sensor prints only what is new
        "end 42");
    assertEquals(Set.of(p("/usr/lib")), log.directories());
    assertEquals(Set.of(p("/usr/bin/cat"), p("/etc/os-release"), p("/tmp/out"), p("/tmp/tool"), p("/run/app")),
        log.files());
    assertEquals(Set.of(p("/usr/bin/cat"), p("/tmp/tool"), p("/run/app")), log.executed());
    assertEquals(Set.of(p("/tmp/out"), p("/tmp/only-written"), p("/tmp/tool")), log.written());
    assertEquals(Set.of(), log.processUids());
    assertEquals(42, log.events());
  }

  @Test
  void anExecutedPathIsAlwaysAmongTheFiles() throws IOException {
    AccessLog log = parse("armed", "e x " + hex("/bin/sh"), "end 1");
    assertEquals(Set.of(p("/bin/sh")), log.files());
    assertEquals(Set.of(p("/bin/sh")), log.executed());
  }

  @Test
  void pathsAreNormalizedLikeTheHostMonitorsAndRootIsADirectory() throws IOException {
    AccessLog log = parse("armed", "e d " + hex("/"), "e o " + hex("/a//b/"), "end 2");
    assertEquals(Set.of(UnixPath.ROOT), log.directories());
    assertEquals(Set.of(p("/a/b")), log.files());
  }

  @Test
  void stateIsReportedAsTheLinesCome() throws IOException {
    SensorOutput out = new SensorOutput();
    assertFalse(out.armed());
    out.accept(ascii("armed"));
    assertTrue(out.armed());
    assertFalse(out.ended());
    assertEquals(Optional.empty(), out.error());
    out.accept(ascii("end 0"));
    assertTrue(out.ended());
    assertEquals(AccessLog.ofOpens(new java.util.TreeSet<>(), new java.util.TreeSet<>(), 0), out.log());
  }

  @Test
  void chunksMayEndAnywhereInALine() throws IOException {
    byte[] stream = ascii("armed\ne ox " + hex("/usr/bin/cat") + "\ne d " + hex("/etc") + "\nend 7\n");
    for (int size = 1; size <= stream.length; size++) {
      SensorOutput out = new SensorOutput();
      try (LineSplitter splitter = new LineSplitter(out::accept)) {
        for (int at = 0; at < stream.length; at += size) {
          splitter.write(stream, at, Math.min(size, stream.length - at));
        }
      }
      AccessLog log = out.log();
      assertEquals(Set.of(p("/usr/bin/cat")), log.executed(), "chunks of " + size);
      assertEquals(Set.of(p("/etc")), log.directories(), "chunks of " + size);
      assertEquals(7, log.events());
    }
  }

  @Test
  void theSplitterHandsOverWholeLinesOnlyAndKeepsEmptyOnes() throws IOException {
    List<String> lines = new ArrayList<>();
    LineSplitter splitter = new LineSplitter(l -> lines.add(new String(l, StandardCharsets.US_ASCII)), 8);
    splitter.write(ascii("ab"));
    assertEquals(List.of(), lines);
    splitter.write(ascii("c\n\nde"));
    assertEquals(List.of("abc", ""), lines);
    splitter.write('\n');
    assertEquals(List.of("abc", "", "de"), lines);
    splitter.close();
  }

  @Test
  void aStreamThatStopsInTheMiddleOfALineIsAnError() throws IOException {
    LineSplitter splitter = new LineSplitter(l -> { });
    splitter.write(ascii("armed\nend 1"));
    IOException e = assertThrows(IOException.class, splitter::close);
    assertTrue(e.getMessage().contains("middle of a line"), e.getMessage());
  }

  @Test
  void aLineBeyondTheBoundIsAnErrorBeforeItIsBuffered() throws IOException {
    LineSplitter splitter = new LineSplitter(l -> { }, 16);
    splitter.write(new byte[16]);
    assertThrows(IOException.class, () -> splitter.write(0));
    LineSplitter ok = new LineSplitter(l -> { }, 16);
    ok.write(new byte[16]);
    ok.write('\n');
  }

  @Test
  void lostEventsAreAnOverflowWordedLikeTheHostMonitors() throws IOException {
    SensorOutput out = new SensorOutput("/proc/42/root");
    for (String line : List.of("armed", "e o " + hex("/etc/hosts"), "lost the kernel queue overflowed (FAN_Q_OVERFLOW)",
        "lost an event arrived without a file descriptor", "end 9")) {
      out.accept(ascii(line));
    }
    MonitorOverflowException e = assertThrows(MonitorOverflowException.class, out::log);
    assertEquals("file access events were lost while watching /proc/42/root (the kernel queue overflowed"
        + " (FAN_Q_OVERFLOW)): the list of used files is incomplete and a slim image built from it could miss"
        + " files; re-run with less load on the machine", e.getMessage());
  }

  @Test
  void anErrorBeforeArmedIsTheSensorsFailure() throws IOException {
    SensorOutput out = new SensorOutput("the root of container abc");
    out.accept(ascii("error cannot pin process 123: No such file or directory"));
    assertFalse(out.armed());
    assertEquals(Optional.of("cannot pin process 123: No such file or directory"), out.error());
    IOException e = assertThrows(IOException.class, out::log);
    assertFalse(e instanceof MonitorOverflowException);
    assertTrue(e.getMessage().contains("the root of container abc: cannot pin process 123"), e.getMessage());
  }

  @Test
  void anErrorAfterArmedFailsTheLogToo() throws IOException {
    SensorOutput out = new SensorOutput();
    out.accept(ascii("armed"));
    out.accept(ascii("e o " + hex("/x")));
    out.accept(ascii("error reading the fanotify queue failed: Bad address"));
    assertThrows(IOException.class, out::log);
  }

  @Test
  void aStreamWithoutEndIsIncomplete() throws IOException {
    SensorOutput out = new SensorOutput();
    out.accept(ascii("armed"));
    out.accept(ascii("e o " + hex("/x")));
    IOException e = assertThrows(IOException.class, out::log);
    assertTrue(e.getMessage().contains("without its end line"), e.getMessage());
    IOException never = assertThrows(IOException.class, new SensorOutput()::log);
    assertTrue(never.getMessage().contains("never armed"), never.getMessage());
  }

  @Test
  void malformedLinesAreErrorsThatNameTheLine() {
    String cat = hex("/usr/bin/cat");
    List<List<String>> streams = List.of(
        List.of("armed", "e " + cat),                  // no flags
        List.of("armed", "e  " + cat),                 // empty flags
        List.of("armed", "e xo " + cat),               // wrong order
        List.of("armed", "e oo " + cat),               // repeated
        List.of("armed", "e do " + cat),               // d stands alone
        List.of("armed", "e r " + cat),                // unknown flag
        List.of("armed", "e o " + cat.toUpperCase()),  // upper-case hex
        List.of("armed", "e o " + cat.substring(1)),   // odd length
        List.of("armed", "e o "),                      // no path
        List.of("armed", "e o " + hex("usr/bin")),     // relative
        List.of("armed", "e o " + hex("/a\0b")),       // NUL
        List.of("armed", "e o " + cat + " "),          // trailing space
        List.of("armed", "e ox " + cat, "bogus"),      // unknown record
        List.of("armed", "end"),                       // no count
        List.of("armed", "end -1"),
        List.of("armed", "end 99999999999999999999"),
        List.of("armed", "end 1", "e o " + cat),       // after end
        List.of("armed", "end 1", "end 1"),
        List.of("armed", "armed"),
        List.of("armed now"),
        List.of("e o " + cat),                         // before armed
        List.of("lost x"),
        List.of("end 0"),
        List.of("armed", "lost"),
        List.of("error"),
        List.of("error x", "armed"),                   // after error
        List.of("armed", "e o " + cat + "\r"),         // a transport that added CR
        List.of("armed", "lost caf\u00e9"),            // not ASCII
        List.of(""));
    for (List<String> stream : streams) {
      SensorOutput out = new SensorOutput();
      IOException e = assertThrows(IOException.class, () -> {
        for (String line : stream) {
          out.accept(line.getBytes(StandardCharsets.UTF_8));
        }
      }, stream.toString());
      String last = stream.get(stream.size() - 1);
      assertTrue(e.getMessage().startsWith("malformed line from the file monitor in the engine ("), e.getMessage());
      assertTrue(e.getMessage().endsWith(UnixPath.display(last.getBytes(StandardCharsets.UTF_8))),
          stream + ": " + e.getMessage());
    }
  }

  @Test
  void aLongMalformedLineIsShownCut() {
    SensorOutput out = new SensorOutput();
    byte[] line = ascii("x".repeat(5000));
    IOException e = assertThrows(IOException.class, () -> out.accept(line));
    assertTrue(e.getMessage().length() < 400, e.getMessage());
    assertTrue(e.getMessage().endsWith("... (5000 bytes)"), e.getMessage());
  }

  private static AccessLog parse(String... lines) throws IOException {
    SensorOutput out = new SensorOutput();
    for (String line : lines) {
      out.accept(ascii(line));
    }
    assertTrue(out.ended());
    return out.log();
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }

  private static String hex(String path) {
    return hex(path.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
