package io.minify.cli;

import io.minify.engine.AttachedContainerSpec.TerminalSize;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Streams in memory for {@code minify debug}: a terminal or not; raw mode counted. */
final class MemoryTerminal implements LocalTerminal {
  final ByteArrayInputStream in;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final boolean terminal;
  int rawNow;
  int rawEver;

  MemoryTerminal(boolean terminal, String input) {
    this.terminal = terminal;
    this.in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public InputStream in() {
    return in;
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
    return terminal;
  }

  @Override
  public Optional<TerminalSize> size() {
    return Optional.of(new TerminalSize(24, 80));
  }

  @Override
  public AutoCloseable raw() {
    rawNow++;
    rawEver++;
    return () -> rawNow--;
  }
}
