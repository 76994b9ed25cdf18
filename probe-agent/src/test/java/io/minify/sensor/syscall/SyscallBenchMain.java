package io.minify.sensor.syscall;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Arms the real {@link FtraceSyscallTracer} for {@code scripts/bench.sh seccomp-cost}, the way a
 * build with {@code --seccomp-profile} does: on a container's init before it execs the app (the
 * init waits at a gate), so every process and thread of the app is traced from its first
 * syscall. One JVM lives through the whole benchmark, as minify's does through a build. Reads
 * commands on stdin: {@code arm PID} starts a tracer on host process PID and prints
 * {@code armed}; {@code stop} stops it and prints what it saw and cost ({@code syscalls=N lost=N
 * cpuMillis=N drainMillis=N}, the CPU time being this JVM's from arm to the end of stop); the
 * end of stdin ends it. Events the kernel dropped fail it (exit 1), as they fail a build.
 */
public final class SyscallBenchMain {
  private SyscallBenchMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 0) {
      System.err.println("usage: SyscallBenchMain (then 'arm PID' and 'stop' on stdin)");
      System.exit(2);
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    SyscallTracer.Factory tracers = FtraceSyscallTracer.factory(Tracefs.host(), "minify-bench-syscalls");
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    SyscallTracer tracer = null;
    long cpuAtArm = 0;
    try {
      for (String command; (command = commands.readLine()) != null; ) {
        if (command.startsWith("arm ") && tracer == null) {
          cpuAtArm = os.getProcessCpuTime();
          tracer = tracers.trace(Integer.parseInt(command.substring("arm ".length()).strip()));
          System.out.println("armed");
        } else if (command.equals("stop") && tracer != null) {
          long start = System.nanoTime();
          SyscallRecording recording = tracer.stop();
          long drainMillis = (System.nanoTime() - start) / 1_000_000;
          long cpuMillis = (os.getProcessCpuTime() - cpuAtArm) / 1_000_000;
          tracer.close();
          tracer = null;
          if (recording.lostEvents() > 0) {
            System.err.println("the kernel dropped " + recording.lostEvents() + " syscall events");
            System.exit(1);
          }
          System.out.println("syscalls=" + recording.ids().size() + " lost=" + recording.lostEvents()
              + " cpuMillis=" + cpuMillis + " drainMillis=" + drainMillis);
        } else {
          System.err.println("unexpected command: " + command);
          if (tracer != null) {
            tracer.close();
          }
          System.exit(2);
        }
        System.out.flush();
      }
    } finally {
      if (tracer != null) {
        tracer.close();
      }
    }
  }
}
