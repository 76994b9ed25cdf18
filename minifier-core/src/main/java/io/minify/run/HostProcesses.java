package io.minify.run;

import java.nio.file.Path;

/**
 * What the build reads about a container's processes from the host's {@code /proc}. The real
 * one is {@link #proc()}; pipeline tests point it at a directory of their own.
 */
public interface HostProcesses {

  /** The container's root filesystem as the host sees it through process {@code pid}. */
  Path root(int pid);

  /**
   * Whether process {@code pid} catches {@code stopSignal} (the image's STOPSIGNAL, null for
   * SIGTERM): false only when it is known not to, true when in doubt.
   */
  boolean catchesSignal(int pid, String stopSignal);

  /** The host's {@code /proc}. */
  static HostProcesses proc() {
    Path proc = Path.of("/proc");
    return new HostProcesses() {
      @Override
      public Path root(int pid) {
        return proc.resolve(String.valueOf(pid)).resolve("root");
      }

      @Override
      public boolean catchesSignal(int pid, String stopSignal) {
        return StopSignalDisposition.catches(proc.resolve(String.valueOf(pid)).resolve("status"), stopSignal);
      }
    };
  }
}
