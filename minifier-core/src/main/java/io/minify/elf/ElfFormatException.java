package io.minify.elf;

/** A file that starts like an ELF file but whose headers are malformed or truncated. */
public class ElfFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ElfFormatException(String message) {
    super(message);
  }
}
