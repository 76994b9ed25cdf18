package io.minify.run;

import io.minify.sensor.proc.PinnedProcess;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the build reads about a container's processes from the host's {@code /proc}. The real
 * one is {@link #proc()}; pipeline tests hand out processes of their own.
 */
public interface HostProcesses {

  /**
   * Holds process {@code pid} by its {@code /proc} entry, so that what is read later is read
   * from this process even if it exits and the number goes to another (see
   * {@link PinnedProcess}).
   *
   * @throws IOException when no process has that pid (any more)
   */
  HostProcess pin(int pid) throws IOException;

  /** One pinned process; closing releases the pin. */
  interface HostProcess extends AutoCloseable {

    /** The container's root filesystem as the host sees it through this process. */
    Path root();

    /** Whether the pinned process still runs: false once it exited, whoever has its pid now. */
    boolean alive();

    /**
     * Whether the process catches {@code stopSignal} (the image's STOPSIGNAL, null for
     * SIGTERM): false only when it is known not to, true when in doubt.
     */
    boolean catchesSignal(String stopSignal);

    /**
     * The TCP sockets listening in the process's network namespace (its {@code net/tcp} and
     * {@code net/tcp6}).
     *
     * @throws IOException when they cannot be read here; a process that does not say has
     *     none to show
     */
    default List<ProcNetTcp.Listener> listeningTcp() throws IOException {
      throw new IOException("the listening sockets of this process are not known");
    }

    @Override
    void close();
  }

  /** The host's {@code /proc}. */
  static HostProcesses proc() {
    return pid -> {
      PinnedProcess pinned = PinnedProcess.pin(pid);
      return new HostProcess() {
        @Override
        public Path root() {
          return pinned.root();
        }

        @Override
        public boolean alive() {
          return pinned.alive();
        }

        @Override
        public boolean catchesSignal(String stopSignal) {
          return StopSignalDisposition.catches(pinned.directory().resolve("status"), stopSignal);
        }

        @Override
        public List<ProcNetTcp.Listener> listeningTcp() throws IOException {
          List<ProcNetTcp.Listener> all = new ArrayList<>();
          for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = pinned.directory().resolve(table);
            if (table.equals("net/tcp6") && !Files.exists(file)) {
              continue; // a kernel without IPv6
            }
            // the kernel's ASCII, one char a byte (nothing fails to decode); this machine's
            // kernel wrote it, so its byte order is ours
            all.addAll(ProcNetTcp.listening(Files.readString(file, StandardCharsets.ISO_8859_1),
                ByteOrder.nativeOrder()));
          }
          return List.copyOf(all);
        }

        @Override
        public void close() {
          pinned.close();
        }
      };
    };
  }
}
