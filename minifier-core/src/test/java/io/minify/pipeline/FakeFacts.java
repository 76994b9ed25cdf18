package io.minify.pipeline;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/** A host's processes in memory: which pids run, since when; this boot, namespace and user. */
final class FakeFacts implements HostFacts {
  static final String BOOT = "3f1c9a4e-0b7d-4c55-9a51-7d2a0e6b1c11";
  static final String PID_NS = "4026531836";
  static final long SELF = 4242;
  static final long SELF_STARTED = 90_000;

  String bootId = BOOT;
  String pidNamespace = PID_NS;
  int uid = 0;
  /** Running processes: pid to start time. */
  final Map<Long, Long> running = new TreeMap<>(Map.of(SELF, SELF_STARTED));
  /** Pids whose /proc entry cannot be read. */
  final Set<Long> unreadable = new HashSet<>();

  @Override
  public Optional<String> bootId() {
    return Optional.ofNullable(bootId);
  }

  @Override
  public Optional<String> pidNamespace() {
    return Optional.ofNullable(pidNamespace);
  }

  @Override
  public long pid() {
    return SELF;
  }

  @Override
  public int uid() {
    return uid;
  }

  @Override
  public OptionalLong startTime(long pid) throws IOException {
    if (unreadable.contains(pid)) {
      throw new IOException("/proc/" + pid + "/stat: Permission denied");
    }
    Long started = running.get(pid);
    return started == null ? OptionalLong.empty() : OptionalLong.of(started);
  }
}
