package io.minify.sensor.syscall;

import java.io.IOException;

/**
 * Records which syscalls a process and its descendants make. Created armed: every syscall
 * the process or a child forked after that makes is recorded. {@link #stop()} returns what was
 * seen; {@link #close()} releases what the kernel holds for it and is safe to call more than
 * once, also without {@code stop()}.
 */
public interface SyscallTracer extends AutoCloseable {

  /** Stops recording and returns the numbers seen, with what the kernel could not record. */
  SyscallRecording stop() throws IOException;

  @Override
  void close();

  /** Arms a tracer on host process {@code pid} and its future children. */
  @FunctionalInterface
  interface Factory {
    SyscallTracer trace(int pid) throws IOException;
  }
}
