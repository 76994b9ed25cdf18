package io.minify.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.minify.sensor.syscall.Architecture;
import io.minify.sensor.syscall.SyscallRecording;
import io.minify.sensor.syscall.SyscallTable;
import io.minify.sensor.syscall.Tracefs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A Docker seccomp profile that allows the syscalls a watched run made and denies every other
 * one with EPERM: what {@code --seccomp-profile} writes, and what the verification run of the
 * slim image runs under ({@code --security-opt seccomp=FILE} takes it as it is).
 *
 * @param architecture the architecture the syscalls were recorded on
 * @param observed     what the app and its children called, by name
 * @param runtime      what the container runtime calls itself once it has applied the profile,
 *                     before the app's first instruction ({@link #RUNTIME_AFTER_FILTER})
 */
public record SeccompProfile(Architecture architecture, SortedSet<String> observed, SortedSet<String> runtime) {

  /**
   * The syscalls runc makes in the container's init process after it loaded the filter and
   * before it execs the app, which the watched run cannot see (the tracer is armed on the app's
   * process once the runtime has started it). Without them the slim container does not start.
   * Measured with ftrace on runc 1.1 (Docker 20.10; Docker 28 with containerd 2.1's shim runs
   * the same runc init, and SeccompProfileIT passes on both): from the {@code prctl(PR_SET_SECCOMP)} to
   * the {@code execve} of the app, with and without {@code no-new-privileges} (the filter comes
   * later then) and with a {@code --user} (setgroups, setgid, setuid, fchown of the exec FIFO).
   * The last four are the Go runtime's, which runc's init is, at any moment: its preemption
   * signal ({@code tgkill}, {@code rt_sigreturn}) and thread parking ({@code sched_yield},
   * {@code gettid}).
   */
  public static final SortedSet<String> RUNTIME_AFTER_FILTER = Collections.unmodifiableSortedSet(new TreeSet<>(List.of(
      "capget", "capset", "chdir", "close", "epoll_ctl", "epoll_pwait", "execve", "faccessat2", "fchown", "fcntl",
      "fstat", "fstatfs", "futex", "getcwd", "getdents64", "getpid", "getppid", "nanosleep", "newfstatat", "openat",
      "prctl", "read", "setgid", "setgroups", "setuid", "write",
      "gettid", "rt_sigreturn", "sched_yield", "tgkill")));

  /** The errno a denied syscall returns: EPERM, what "not allowed" reads as to most programs. */
  static final int DENIED_ERRNO = 1;

  public SeccompProfile {
    observed = Collections.unmodifiableSortedSet(new TreeSet<>(observed));
    runtime = Collections.unmodifiableSortedSet(new TreeSet<>(runtime));
  }

  /**
   * The profile of a recording made on {@code table}'s architecture.
   *
   * @throws IllegalArgumentException when the kernel lost events (the set may lack a syscall the
   *     app needs) or a number has no name in the table (a profile cannot allow it)
   */
  public static SeccompProfile of(SyscallRecording recording, SyscallTable table) {
    if (recording.lostEvents() > 0) {
      throw new IllegalArgumentException("the kernel's trace buffer dropped " + recording.lostEvents()
          + " syscall events, so the recorded set may lack a syscall the app needs");
    }
    SortedSet<String> names = new TreeSet<>();
    List<Long> unknown = new ArrayList<>();
    for (long id : recording.ids()) {
      table.name(id).ifPresentOrElse(names::add, () -> unknown.add(id));
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("the app made syscall number" + (unknown.size() == 1 ? " " : "s ")
          + unknown + ", which the " + table.architecture().name().toLowerCase(java.util.Locale.ROOT)
          + " syscall table does not name (a 32-bit program in a 64-bit container?)");
    }
    return new SeccompProfile(table.architecture(), names, RUNTIME_AFTER_FILTER);
  }

  /**
   * Why this host cannot record a profile (no table for its architecture, no usable tracefs:
   * not mounted, not root, no syscall tracepoints); empty when it can.
   */
  public static Optional<String> whyNotRecordable() {
    if (Architecture.host().isEmpty()) {
      return Optional.of("minify has no syscall table for this machine's architecture ("
          + System.getProperty("os.arch") + ")");
    }
    try {
      Tracefs.host();
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * One profile for the runs of several scenarios of one image: the slim image runs every one
   * of them under it, so it allows what any of them made.
   */
  public SeccompProfile union(SeccompProfile other) {
    if (other.architecture != architecture) {
      throw new IllegalArgumentException("profiles of " + architecture + " and " + other.architecture);
    }
    SortedSet<String> bothObserved = new TreeSet<>(observed);
    bothObserved.addAll(other.observed);
    SortedSet<String> bothRuntime = new TreeSet<>(runtime);
    bothRuntime.addAll(other.runtime);
    return new SeccompProfile(architecture, bothObserved, bothRuntime);
  }

  /** Every syscall the profile allows, in name order. */
  public SortedSet<String> allowed() {
    SortedSet<String> all = new TreeSet<>(observed);
    all.addAll(runtime);
    return Collections.unmodifiableSortedSet(all);
  }

  /**
   * The seccomp architectures the profile applies to, as Docker's default profile lists them
   * for the host: a 64-bit kernel runs the 32-bit ABIs too, and a filter without them would let
   * a program switch ABI to get past it.
   */
  static List<String> seccompArchitectures(Architecture architecture) {
    return switch (architecture) {
      case X86_64 -> List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
      case AARCH64 -> List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
    };
  }

  /** The profile as Docker reads it; the same profile gives the same bytes. */
  public byte[] toJson() {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("names", List.copyOf(allowed()));
    rule.put("action", "SCMP_ACT_ALLOW");
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("defaultAction", "SCMP_ACT_ERRNO");
    profile.put("defaultErrnoRet", DENIED_ERRNO);
    profile.put("architectures", seccompArchitectures(architecture));
    profile.put("syscalls", List.of(rule));
    try {
      return (new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(profile) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a seccomp profile of names is always serialisable", e);
    }
  }

  /** The profile without {@code syscall}: what a test uses to show the profile is enforced. */
  public SeccompProfile without(String syscall) {
    SortedSet<String> fewer = new TreeSet<>(observed);
    fewer.remove(syscall);
    SortedSet<String> fewerRuntime = new TreeSet<>(runtime);
    fewerRuntime.remove(syscall);
    return new SeccompProfile(architecture, fewer, fewerRuntime);
  }

  /** The security option that runs a container under this profile ({@code seccomp=} and the JSON itself). */
  public String securityOption() {
    return "seccomp=" + new String(toJson(), StandardCharsets.UTF_8);
  }
}
