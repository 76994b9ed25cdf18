package io.minify.sensor.syscall;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a {@link SyscallTracer} saw.
 *
 * @param ids        the syscall numbers, as the {@code raw_syscalls:sys_enter} tracepoint
 *                   reports them for the architecture of the host
 * @param lostEvents events the kernel dropped because its buffer was full: when not 0 the set
 *                   may lack a syscall, and a profile made from it may deny one the app needs
 */
public record SyscallRecording(SortedSet<Long> ids, long lostEvents) {

  public SyscallRecording {
    ids = Collections.unmodifiableSortedSet(new TreeSet<>(ids));
  }
}
