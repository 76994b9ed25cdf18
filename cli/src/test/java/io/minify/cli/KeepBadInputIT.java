package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keep rules a build cannot use: one line naming the bad part, exit 2, nothing left behind.
 * What can be checked without the image is refused before any container starts; an include
 * path's existence only once the image's layers are indexed.
 */
class KeepBadInputIT extends RealEngineTest {

  /** The smallest sample: a static server on scratch, with no shell. */
  private static final String IMAGE = "minify-sample/static-scratch:1.0";
  private static final String SLIM = "minify-it/keep-bad.slim:it";


  @Test
  void malformedGlob() throws Exception {
    assertRefused("--exclude-pattern: '/srv/[ab': unclosed '[' at position 6",
        "--exclude-pattern", "/srv/[ab");
  }

  @Test
  void relativeGlob() throws Exception {
    assertRefused("--exclude-pattern: 'srv/**' must start with '/' or '**' (patterns match absolute"
        + " paths)", "--exclude-pattern", "srv/**");
  }

  @Test
  void relativeIncludePath() throws Exception {
    assertRefused("--include-path 'etc/ssl': must be an absolute path inside the image",
        "--include-path", "etc/ssl");
  }

  @Test
  void includeExeWithAPath() throws Exception {
    assertRefused("--include-exe '/bin/ls': give a program name to look up on the image's PATH"
        + " (for a path use --include-bin)", "--include-exe", "/bin/ls");
  }

  @Test
  void unreadableIncludePathFile() throws Exception {
    Path missing = workRoot.resolve("no-such-list.txt");
    assertRefused("--include-path-file " + missing + ": cannot read it (NoSuchFileException)",
        "--include-path-file", missing.toString());
  }

  @Test
  void relativePathInAnIncludePathFile() throws Exception {
    Path list = Files.createTempFile("minify-it-keep-list", ".txt");
    try {
      Files.writeString(list, "/etc/ok\nrelative/path\n");
      assertRefused("--include-path-file " + list + " line 2 'relative/path': must be an absolute"
          + " path inside the image", "--include-path-file", list.toString());
    } finally {
      Files.delete(list);
    }
  }

  @Test
  void includePathNotInTheImage() throws Exception {
    CliRun run = build("--include-path", "/srv/no-such-page.html");
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("minify: error: select: include rule 1 (--include-path /srv/no-such-page.html): not in the image"
        + " (--allow-missing-includes makes this a warning)", run.err().strip(), run.toString());
    assertFalse(engine.images().inspectImage(SLIM).isPresent(), "no slim image is tagged");
    Leftovers.assertNone(engine, workRoot);
  }

  @Test
  void includeShellOnAnImageWithoutOne() throws Exception {
    CliRun run = build("--include-shell");
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("minify: error: select: include rule 1 (--include-shell): the image has no /bin/sh"
        + " (--allow-missing-includes makes this a warning)", run.err().strip(), run.toString());
    assertFalse(engine.images().inspectImage(SLIM).isPresent(), "no slim image is tagged");
    Leftovers.assertNone(engine, workRoot);
  }

  /** Refused by option validation: exit 2, one line naming the problem, no container, no files. */
  private void assertRefused(String expectedLine, String... options) throws Exception {
    CliRun run = build(options);
    CliRun.assertOptionRefused(run, expectedLine);
    assertTrue(run.out().isEmpty(), run.toString());
    Leftovers.assertNone(engine, workRoot);
  }

  private CliRun build(String... options) {
    String[] base = {"build", IMAGE, "--tag", SLIM, "--no-report", "--quiet", "--work-dir", workRoot.toString()};
    String[] args = new String[base.length + options.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(options, 0, args, base.length, options.length);
    return CliRun.of(args);
  }
}
