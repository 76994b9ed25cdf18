package io.minify.cli;

import io.minify.engine.AttachedContainerSpec.TerminalSize;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This process's own streams and the terminal they may be, as {@code minify debug} hands them
 * to a container: bytes, never decoded.
 */
interface LocalTerminal {

  /** What the user types or pipes in. */
  InputStream in();

  OutputStream out();

  OutputStream err();

  /** Whether the user sits at a terminal: stdin and stdout are one. */
  boolean isTerminal();

  /** The terminal's rows and columns; empty when it cannot be told. */
  Optional<TerminalSize> size();

  /**
   * Puts the terminal in raw mode (each key goes through as typed, Ctrl-C included, nothing
   * echoed locally) until the returned handle is closed, which restores the mode it had.
   *
   * @throws IOException when the mode cannot be set
   */
  AutoCloseable raw() throws IOException;

  /** The process's own stdin, stdout and stderr; the terminal set with {@code stty}. */
  static LocalTerminal ofProcess() {
    return new ProcessTerminal();
  }

  /** The terminal of this process: {@code stty} reads and sets the one on its stdin. */
  final class ProcessTerminal implements LocalTerminal {
    private static final long STTY_SECONDS = 10;
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private final OutputStream err = new FileOutputStream(FileDescriptor.err);

    @Override
    public InputStream in() {
      return System.in;
    }

    @Override
    public OutputStream out() {
      return out;
    }

    @Override
    public OutputStream err() {
      return err;
    }

    @Override
    public boolean isTerminal() {
      // Java 17: a console exactly when stdin and stdout are a terminal
      return System.console() != null;
    }

    @Override
    public Optional<TerminalSize> size() {
      try {
        String[] rowsColumns = stty("size").strip().split("\\s+");
        return Optional.of(new TerminalSize(Integer.parseInt(rowsColumns[0]), Integer.parseInt(rowsColumns[1])));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }

    @Override
    public AutoCloseable raw() throws IOException {
      String saved = stty("-g").strip();
      stty("raw", "-echo");
      return () -> stty(saved);
    }

    /** Runs stty on this process's stdin (the terminal); its output. */
    private static String stty(String... args) throws IOException {
      String[] command = new String[args.length + 1];
      command[0] = "stty";
      System.arraycopy(args, 0, command, 1, args.length);
      Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (!p.waitFor(STTY_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new IOException("stty " + String.join(" ", args) + " failed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running stty", e);
      }
      return said;
    }
  }
}
