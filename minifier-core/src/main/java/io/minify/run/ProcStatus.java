package io.minify.run;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the hexadecimal masks of a /proc/PID/status file (CapEff, SigCgt, ...). */
public final class ProcStatus {

  private ProcStatus() {}

  /** The mask in line {@code field:}, or empty when the file or the field cannot be read. */
  public static Optional<BigInteger> mask(Path statusFile, String field) {
    try {
      for (String line : Files.readAllLines(statusFile)) {
        if (line.startsWith(field + ":")) {
          return Optional.of(new BigInteger(line.substring(field.length() + 1).trim(), 16));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
