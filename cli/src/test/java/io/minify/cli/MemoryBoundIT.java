package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's first bullet on a real engine: an image of 200,000 small files, of which the app
 * opens 1,000, built through the shipped launcher (its heap bound, not the test JVM's). The
 * peak resident memory of the minify process must stay under 320 MB. The same code peaks
 * anywhere from 277 to 303 MB from run to run (when the collector runs, what the JIT compiles),
 * so a bound of 300 failed one run in five without any change: the bound is what the build
 * promises (it fits a 2 GiB CI runner beside the engine) with room for that spread. Memory,
 * not time: how long it takes is the bench's business ({@code scripts/bench.sh memory}).
 */
class MemoryBoundIT extends RealEngineTest {
  private static final long LIMIT_BYTES = 320_000_000L;

  @TempDir
  Path logs;

  @Test
  void twoHundredThousandFilesStayUnder320MegabytesWithTheLaunchersBound() throws Exception {
    String image = "minify-it/many-files:1";
    String slim = "minify-it/many-files.slim:1";
    TestImages.build(image, "FROM minify-base:bookworm\n"
        + "RUN set -e; d=0; while [ $d -lt 200 ]; do dir=/data/d$d; mkdir -p $dir; f=0;"
        + " while [ $f -lt 1000 ]; do echo \"file $d $f\" > $dir/f$f.txt; f=$((f+1)); done; d=$((d+1)); done;"
        + " mkdir /app; i=0; while [ $i -lt 1000 ]; do echo /data/d$((i % 200))/f$((i / 200)).txt; i=$((i+1)); done"
        + " > /app/open.txt\n"
        + "CMD [\"/bin/sh\", \"-c\", \"xargs cat < /app/open.txt > /dev/null; exec sleep 3600\"]\n");
    try {
      Path launcher = Path.of("target", "minify").toAbsolutePath();
      Process build = new ProcessBuilder("sh", launcher.toString(), "build", image, "--tag", slim, "--http-probe-off",
          "--continue-after", "timeout:5", "--no-report", "--quiet", "--work-dir", workRoot.toString())
          .redirectErrorStream(true).redirectOutput(logs.resolve("build.out").toFile()).start();
      // the launcher execs java: its pid is the JVM's; VmHWM is the peak so far, read until it exits
      long peak = 0;
      while (!build.waitFor(100, TimeUnit.MILLISECONDS)) {
        peak = Math.max(peak, highWaterMark(build.pid()).orElse(0L));
      }
      String said = Files.readString(logs.resolve("build.out"), StandardCharsets.UTF_8);
      assertEquals(0, build.exitValue(), said);
      assertTrue(peak > 0, "the peak was read");
      System.out.println("MemoryBoundIT: peak RSS of the minify JVM " + peak / 1_000_000 + " MB"); // in the IT report
      assertTrue(peak < LIMIT_BYTES, "peak RSS " + peak / 1_000_000 + " MB");
      Leftovers.assertNone(engine, workRoot);
    } finally {
      TestImages.untag(slim);
      TestImages.untag(image);
    }
  }

  private static Optional<Long> highWaterMark(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
          .filter(l -> l.startsWith("VmHWM:")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024);
    } catch (IOException | RuntimeException exited) {
      return Optional.empty(); // between the last read and the exit: the peak read so far stands
    }
  }
}
