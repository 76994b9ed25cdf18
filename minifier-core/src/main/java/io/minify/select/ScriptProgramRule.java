package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import io.minify.shell.Shebang;
import io.minify.shell.ShellCommandWords;
import io.minify.shell.ShellPrograms;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@link KeepUnit#SCRIPT_PROGRAMS}: a shell script runs some programs only in some branches
 * (an entrypoint's first start, a CGI that calls {@code head} only for a request body). Every
 * kept shell script ({@code #!} naming sh, bash, dash, ...) is read for the command words of
 * its simple commands, and each one found on the image's PATH (or given as an absolute path)
 * is kept; scripts found that way are read in turn. Their libraries and interpreters come with
 * the ELF closure.
 */
final class ScriptProgramRule implements KeepUnitRule {
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final int MAX_SCRIPT_BYTES = 1 << 20;


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    Deque<UnixPath> scripts = new ArrayDeque<>(List.copyOf(ctx.keep().paths()));
    Set<UnixPath> read = new HashSet<>();
    List<FoundUnit> found = new ArrayList<>();
    List<String> searchPath = searchPath(ctx);
    while (!scripts.isEmpty()) {
      UnixPath script = scripts.removeFirst();
      if (!read.add(script)) {
        continue;
      }
      Optional<String> text = shellScript(ctx, script);
      if (text.isEmpty()) {
        continue;
      }
      Set<String> programs = new LinkedHashSet<>();
      for (String word : ShellCommandWords.of(text.get())) {
        Optional<UnixPath> program = lookUp(ctx, word, searchPath);
        if (program.isEmpty()) {
          continue;
        }
        KeptBecause because = new KeptBecause(KeepReason.SCRIPT_PROGRAM, "run by " + script);
        PathResolution r = ctx.fs().resolve(program.get());
        boolean added = ctx.keep().offer(r.resolved(), because);
        r.symlinks().forEach(link -> ctx.keep().offer(link, because));
        if (added) {
          programs.add(word);
          scripts.add(r.resolved());
        }
      }
      if (!programs.isEmpty()) {
        found.add(new FoundUnit.Part(script.toString(), String.join(" ", programs), OptionalLong.empty()));
      }
    }
    return found;
  }

  private static List<String> searchPath(UnitContext ctx) {
    Set<String> dirs = new LinkedHashSet<>();
    for (String dir : (ctx.config().path() + ":" + DEFAULT_PATH).split(":")) {
      if (dir.startsWith("/")) {
        dirs.add(dir);
      }
    }
    return List.copyOf(dirs);
  }

  /** The program a command word names: an absolute path as is, a bare name on the search path. */
  private static Optional<UnixPath> lookUp(UnitContext ctx, String word, List<String> searchPath) {
    if (word.startsWith("/")) {
      return executable(ctx, UnixPath.of(word));
    }
    if (word.contains("/") || word.isEmpty()) {
      return Optional.empty(); // relative to a directory only known at run time
    }
    for (String dir : searchPath) {
      Optional<UnixPath> found = executable(ctx, UnixPath.of(dir).resolve(word));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<UnixPath> executable(UnitContext ctx, UnixPath path) {
    PathResolution r = ctx.fs().resolve(path);
    if (!r.exists()) {
      return Optional.empty();
    }
    return ctx.fs().entry(r.resolved()).filter(FileEntry::hasContent).filter(e -> (e.mode() & 0111) != 0)
        .map(e -> path);
  }

  /** The text of a kept file that is a shell script, without its "#!" line. */
  private static Optional<String> shellScript(UnitContext ctx, UnixPath path) {
    Optional<FileEntry> entry = ctx.fs().entry(path).filter(FileEntry::hasContent);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes;
    try (InputStream in = ctx.fs().open(entry.get())) {
      if (!Shebang.startsScript(in.readNBytes(2))) {
        return Optional.empty();
      }
      bytes = in.readNBytes(MAX_SCRIPT_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path + " from the image failed: " + e.getMessage(), e);
    }
    String text = new String(bytes, StandardCharsets.UTF_8); // a script is text; only its words are read
    if (!Shebang.parse(text).map(Shebang::program).filter(ShellPrograms::isShell).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(text.substring(text.indexOf('\n') + 1));
  }
}
