package io.minify.select;

import java.util.Objects;

/**
 * One rule that keeps paths whether or not the app was seen using them.
 *
 * @param kind   what the rule names
 * @param target the path (PATH, PRESERVE, BIN), program name (EXE), a command word of an
 *               --exec command (EXEC_PROGRAM: a name or a path), or "" for the fixed sets
 *               (SHELL, CERTS, ZONEINFO, WORKDIR)
 * @param origin where the user wrote it, as shown in the report
 *               ("--include-path /etc/ssl", "--include-path-file keep.txt line 3")
 */
public record IncludeRule(Kind kind, String target, String origin) {

  public enum Kind {
    /** A file, or a directory with everything below it. */
    PATH,
    /** Like PATH, kept exactly as in the image: nothing is added for what it contains. */
    PRESERVE,
    /** An executable by path, with its ELF loader closure. */
    BIN,
    /** An executable by name, found on the image's PATH, with its ELF loader closure. */
    EXE,
    /** The image's /bin/sh with its closure. */
    SHELL,
    /** CA certificate bundles and directories that exist in the image. */
    CERTS,
    /** Time zone data, /etc/localtime and /etc/timezone. */
    ZONEINFO,
    /** The image's WORKDIR tree. */
    WORKDIR,
    /**
     * A program an --exec command names, found like the engine finds a command (a bare name
     * on the image's PATH, a path as given): kept with its closure so the slim image can run
     * the same command whatever the watched run needed; a name the image lacks (a shell
     * builtin, a function) is skipped, not an error.
     */
    EXEC_PROGRAM
  }

  public IncludeRule {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(target);
    Objects.requireNonNull(origin);
  }

  public static IncludeRule path(String path) {
    return new IncludeRule(Kind.PATH, path, "--include-path " + path);
  }

  public static IncludeRule preserve(String path) {
    return new IncludeRule(Kind.PRESERVE, path, "--preserve-path " + path);
  }

  public static IncludeRule bin(String path) {
    return new IncludeRule(Kind.BIN, path, "--include-bin " + path);
  }

  public static IncludeRule exe(String name) {
    return new IncludeRule(Kind.EXE, name, "--include-exe " + name);
  }

  public static IncludeRule shell() {
    return new IncludeRule(Kind.SHELL, "", "--include-shell");
  }

  public static IncludeRule certs() {
    return new IncludeRule(Kind.CERTS, "", "--include-certs");
  }

  public static IncludeRule zoneinfo() {
    return new IncludeRule(Kind.ZONEINFO, "", "--include-zoneinfo");
  }

  /** A program {@code command} (as the user wrote it) runs: "--exec 'until pg_isready; do sleep 1; done': sleep". */
  public static IncludeRule execProgram(String command, String program) {
    return new IncludeRule(Kind.EXEC_PROGRAM, program, "--exec '" + command + "': " + program);
  }

  public static IncludeRule workdir() {
    return new IncludeRule(Kind.WORKDIR, "", "--include-workdir");
  }
}
