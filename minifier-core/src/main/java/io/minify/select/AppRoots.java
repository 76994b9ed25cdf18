package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The app's own code roots: the directory the server is started in or pointed at, holding
 * the project's files ({@code manage.py}, {@code package.json}, {@code Gemfile},
 * {@code pom.xml}...). A route renders a template (a 404 page, a thank-you page) or serves a
 * file only when it runs, and those sit anywhere in the project, beside the packages as
 * well as in them, so a code root is one unit. Found by evidence, not by a package database:
 * <ul>
 *   <li>the image's WORKDIR, when the app used something below it;
 *   <li>a directory or file the command names (after the program): {@code java -jar
 *       /app/app.jar}, {@code node server.js}, {@code --chdir /srv/site};
 *   <li>the outermost directory holding a project file above a file the app opened (that no
 *       package owns).
 * </ul>
 * Never a system or runtime tree ({@link Ownership#SYSTEM_TREES}), never a directory that
 * holds everything ({@link Ownership#TOO_WIDE}), never inside a code container
 * ({@code node_modules}, {@code site-packages}): those are code units.
 */
final class AppRoots {

  /** Files that mark a project's root. */
  static final List<String> MARKERS = List.of("package.json", "manage.py", "settings.py", "wsgi.py", "asgi.py",
      "Gemfile", "config.ru", "pom.xml", "build.gradle", "build.gradle.kts", "composer.json", "artisan", "go.mod",
      "requirements.txt", "pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "Procfile", "mix.exs", "Cargo.toml",
      "deno.json");

  /** A code root and why it is one. */
  record Root(UnixPath path, String evidence) {}

  private AppRoots() {}

  /** The code roots, outermost only, sorted. */
  static List<Root> find(UnitContext ctx, Ownership ownership) {
    TreeMap<UnixPath, String> found = new TreeMap<>();
    String workDir = ctx.config().workingDir();
    UnixPath base = workDir.isEmpty() ? UnixPath.ROOT : UnixPath.of(workDir);
    if (allowed(ctx, ownership, base) && usedBelow(ctx, base)) {
      found.put(base, "WORKDIR" + markerOf(ctx, base).map(m -> ", holds " + m).orElse(""));
    }
    List<String> command = ctx.config().command();
    for (int i = 1; i < command.size(); i++) {
      String arg = command.get(i);
      if (arg.isEmpty() || arg.startsWith("-") || arg.contains("\0")) {
        continue;
      }
      UnixPath named = arg.startsWith("/") ? UnixPath.of(arg) : base.resolve(arg);
      PathResolution r = ctx.fs().resolve(named);
      if (!r.exists()) {
        continue;
      }
      UnixPath dir = ctx.directoryOf(r.resolved());
      if (allowed(ctx, ownership, dir)) {
        found.putIfAbsent(dir, "named by the command (" + arg + ")");
      }
    }
    for (UnixPath file : ctx.log().files()) {
      if (ctx.fs().entry(file).isEmpty() || ownership.isSystem(file) || Ownership.inSystemTree(file)) {
        continue;
      }
      UnixPath outermost = null;
      String marker = null;
      for (UnixPath a = file.parent(); !a.isRoot(); a = a.parent()) {
        if (UnitContext.isCodeContainer(a)) {
          outermost = null; // the file belongs to a code unit
          break;
        }
        Optional<String> m = markerOf(ctx, a);
        if (m.isPresent() && allowed(ctx, ownership, a)) {
          outermost = a;
          marker = m.get();
        }
      }
      if (outermost != null) {
        found.putIfAbsent(outermost, "holds " + marker + ", above " + file);
      }
    }
    List<Root> roots = new ArrayList<>();
    for (Map.Entry<UnixPath, String> e : found.entrySet()) {
      if (roots.stream().noneMatch(r -> e.getKey().isSameOrBelow(r.path()))) {
        roots.add(new Root(e.getKey(), e.getValue()));
      }
    }
    return roots;
  }

  private static boolean allowed(UnitContext ctx, Ownership ownership, UnixPath dir) {
    if (Ownership.TOO_WIDE.contains(dir) || Ownership.inSystemTree(dir) || !ctx.isDirectory(dir)
        || ownership.database().map(db -> db.isOwned(dir)).orElse(false)) {
      return false;
    }
    for (UnixPath a = dir; !a.isRoot(); a = a.parent()) {
      if (UnitContext.isCodeContainer(a)) {
        return false;
      }
    }
    return true;
  }

  private static boolean usedBelow(UnitContext ctx, UnixPath dir) {
    return ctx.usedInImage().stream().anyMatch(p -> p.isBelow(dir))
        || ctx.log().executed().stream().anyMatch(p -> p.isBelow(dir));
  }

  private static Optional<String> markerOf(UnitContext ctx, UnixPath dir) {
    for (String m : MARKERS) {
      if (ctx.fs().entry(dir.child(m)).filter(FileEntry::hasContent).isPresent()) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
