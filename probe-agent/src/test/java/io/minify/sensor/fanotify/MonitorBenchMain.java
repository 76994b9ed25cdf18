package io.minify.sensor.fanotify;

import com.sun.management.OperatingSystemMXBean;
import io.minify.sensor.AccessLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Arms the real {@link FanotifyMonitor} on a container's root for {@code scripts/bench.sh
 * monitor-cost}, the way a build does ({@code watch(/proc/<pid>/root)}), as often as asked, in
 * one JVM that lives through the whole benchmark as minify's does through a build. Reads
 * commands on stdin: {@code arm} watches and prints {@code armed}; {@code stop} stops, drains
 * and prints what the monitor saw and cost ({@code events=N files=N directories=N
 * drainMillis=N cpuMillis=N}, the CPU time being this JVM's from arm to the end of stop); the
 * end of stdin ends it. A lost event fails it (exit 1), as it fails a build.
 */
public final class MonitorBenchMain {
  private MonitorBenchMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: MonitorBenchMain PID (then arm and stop on stdin)");
      System.exit(2);
    }
    Path root = Path.of("/proc", args[0], "root");
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    FanotifyMonitor monitor = null;
    long cpuAtArm = 0;
    for (String command; (command = commands.readLine()) != null; ) {
      if (command.equals("arm") && monitor == null) {
        cpuAtArm = os.getProcessCpuTime();
        monitor = FanotifyMonitor.watch(root);
        System.out.println("armed");
      } else if (command.equals("stop") && monitor != null) {
        long start = System.nanoTime();
        AccessLog log = monitor.stop();
        long drainMillis = (System.nanoTime() - start) / 1_000_000;
        long cpuMillis = (os.getProcessCpuTime() - cpuAtArm) / 1_000_000;
        monitor = null;
        System.out.println("events=" + log.events() + " files=" + log.files().size() + " directories="
            + log.directories().size() + " drainMillis=" + drainMillis + " cpuMillis=" + cpuMillis);
      } else {
        System.err.println("unexpected command: " + command);
        System.exit(2);
      }
      System.out.flush();
    }
  }
}
