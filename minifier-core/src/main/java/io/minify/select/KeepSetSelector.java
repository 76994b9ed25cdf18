package io.minify.select;

import io.minify.elf.ElfClosure;
import io.minify.elf.ElfDependencyResolver;
import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageConfig;
import io.minify.image.ImageFilesystem;
import io.minify.image.PathResolution;
import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which entries of the image the slim image keeps (DESIGN.md stage 6): what the app
 * was seen opening, plus what the kernel's view hides (symlinks it resolved, parent dirs)
 * and what a probe may not have reached but the app surely needs (the entrypoint program,
 * the ELF loader closure of every kept executable, user databases, volume content).
 */
public final class KeepSetSelector {

  private static final int ROOT_UID = 0;
  private static final int DEFAULT_DIR_MODE = 0755;

  private final ImageFilesystem fs;
  private final ImageConfig config;
  private final KeepRules rules;

  public KeepSetSelector(ImageFilesystem fs, ImageConfig config, KeepRules rules) {
    this.fs = fs;
    this.config = config;
    this.rules = rules;
  }

  /**
   * @throws KeepRuleException when an include rule finds nothing in the image (unless the
   *                           rules allow missing includes)
   */
  public KeepSet select(AccessLog log) throws KeepRuleException {
    KeepSelection keep = new KeepSelection(rules.excludes());
    List<UnixPath> notInImage = new ArrayList<>();

    for (UnixPath path : log.files()) {
      if (!addIfPresent(keep, path, KeptBecause.of(KeepReason.OBSERVED))) {
        notInImage.add(path);
      }
    }
    for (UnixPath path : log.directories()) {
      addIfPresent(keep, path, KeptBecause.of(KeepReason.OBSERVED));
    }
    entrypointProgram().ifPresent(p -> addResolved(keep, p, KeptBecause.of(KeepReason.ENTRYPOINT)));
    if (!config.user().isEmpty()) {
      addIfPresent(keep, UnixPath.of("/etc/passwd"), KeptBecause.of(KeepReason.USER_DB));
      addIfPresent(keep, UnixPath.of("/etc/group"), KeptBecause.of(KeepReason.USER_DB));
    }
    for (String volume : config.volumes()) {
      UnixPath root = UnixPath.of(volume);
      KeptBecause because = new KeptBecause(KeepReason.VOLUME, "VOLUME " + root);
      fs.entry(root).ifPresent(e -> keep.offer(e.path(), because));
      for (FileEntry e : fs.below(root)) {
        keep.offer(e.path(), because);
      }
    }
    for (FileEntry e : fs.entries()) {
      if (e.isDirectory() && (e.uid() != ROOT_UID || e.gid() != ROOT_UID || e.mode() != DEFAULT_DIR_MODE)) {
        keep.offer(e.path(), KeptBecause.of(KeepReason.SPECIAL_DIR));
      }
    }
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < rules.includes().size(); i++) {
      applyInclude(keep, i + 1, rules.includes().get(i)).ifPresent(missing -> warnings.add(missing));
    }

    // the sources of the caches the run loaded, before the unit rules: they are needed, not
    // kept for safety, and the report says so
    addBytecodeSources(keep);
    UnitContext unitContext = new UnitContext(fs, config, log, packageDatabase(warnings), keep);
    Map<KeepUnit, List<FoundUnit>> units = new EnumMap<>(KeepUnit.class);
    // the app's code roots depend on the image and the run only: found once, for both rules that keep by them
    KeepUnitRule.Inputs inputs = new KeepUnitRule.Inputs(
        AppRoots.find(unitContext, new Ownership(unitContext.packages())), entrypointProgram());
    applyUnits(EnumSet.complementOf(EnumSet.of(KeepUnit.Phase.AFTER_CLOSURE)), inputs, unitContext, units);

    if (!rules.drops().isEmpty()) {
      keep.drop(new DropMatcher(rules.drops(), config, keep::contains, unitContext::isDirectory,
          keep.paths().stream().anyMatch(KeepSetSelector::isJitLibrary)));
    }
    // after the drops: a link a drop rule took out (a catalog's link to another catalog) needs no target
    addLinkTargets(keep);
    addBytecodeSources(keep);
    List<String> unresolved = addElfClosure(keep);
    // parents first: a link such as /bin -> usr/bin leads to a directory kept only as a parent
    addParents(keep);
    applyUnits(EnumSet.of(KeepUnit.Phase.AFTER_CLOSURE), inputs, unitContext, units);
    addSymlinksToKept(keep);
    keep.recordUnits(units);
    KeepSet result = keep.toKeepSet(notInImage, unresolved, warnings, List.of());
    List<Explanation> explanations = rules.explain().stream()
        .map(p -> explain(result, UnixPath.of(p).toString(), UnixPath.of(p))).toList();
    return keep.toKeepSet(notInImage, unresolved, warnings, explanations);
  }

  /** Runs the rules of the units that are on, of {@code phases}, in their order; records what each found. */
  private void applyUnits(Set<KeepUnit.Phase> phases, KeepUnitRule.Inputs inputs, UnitContext context,
      Map<KeepUnit, List<FoundUnit>> found) {
    for (KeepUnit unit : KeepUnit.inOrder(phases)) {
      if (rules.units().contains(unit)) {
        found.put(unit, unit.rule(inputs).apply(context));
      }
    }
  }

  /**
   * A library that compiles LLVM bitcode at run time: PostgreSQL's {@code llvmjit.so}, or LLVM
   * itself. Without one, the bitcode a package ships beside its modules is never read.
   */
  private static boolean isJitLibrary(UnixPath path) {
    return path.nameStartsWith("llvmjit") || path.nameStartsWith("libLLVM");
  }

  /**
   * The image's package database, read only when a rule that needs one is on. One that cannot
   * be read is a warning, not a failed build: the image works; the rules then tell the app's
   * files from the system's as they do without a database.
   */
  private Optional<PackageDatabase> packageDatabase(List<String> warnings) {
    if (rules.units().stream().noneMatch(KeepUnit::needsPackageDatabase)) {
      return Optional.empty();
    }
    try {
      return PackageDatabase.read(fs);
    } catch (IOException e) {
      warnings.add("the image's package database could not be read (" + e.getMessage() + "); the app's files were"
          + " told from the system's without it");
      return Optional.empty();
    }
  }

  /** Where {@code --include-certs} looks: Debian/Ubuntu, RHEL/Fedora, Alpine and SUSE layouts. */
  static final List<String> CERT_PATHS = List.of("/etc/ssl/certs", "/etc/ssl/cert.pem", "/etc/ca-certificates.conf",
      "/etc/ca-certificates", "/usr/share/ca-certificates", "/usr/local/share/ca-certificates", "/etc/pki",
      "/var/lib/ca-certificates");

  static final List<String> ZONEINFO_PATHS = List.of("/usr/share/zoneinfo", "/etc/localtime", "/etc/timezone");

  /**
   * Applies include rule {@code number}; when it finds nothing, returns the warning (if the
   * rules allow that) or throws.
   */
  private Optional<String> applyInclude(KeepSelection keep, int number, IncludeRule rule) throws KeepRuleException {
    KeptBecause because = new KeptBecause(
        rule.kind() == IncludeRule.Kind.PRESERVE ? KeepReason.PRESERVED
            : rule.kind() == IncludeRule.Kind.EXEC_PROGRAM ? KeepReason.EXEC_PROGRAM : KeepReason.INCLUDED,
        "include rule " + number + ": " + rule.origin());
    KeptBecause needed = new KeptBecause(KeepReason.ELF_NEEDED, "for include rule " + number + ": " + rule.origin());
    // what the rule found nothing of, when it found nothing
    Optional<String> missing = switch (rule.kind()) {
      case PATH -> unless(includeTree(keep, UnixPath.of(rule.target()), because, true), "not in the image");
      case PRESERVE -> unless(includeTree(keep, UnixPath.of(rule.target()), because, false), "not in the image");
      case BIN -> includeProgram(keep, UnixPath.of(rule.target()), because, needed);
      case EXE -> {
        Optional<UnixPath> program = findOnPath(rule.target());
        yield program.isEmpty()
            ? Optional.of("no '" + rule.target() + "' on the image's PATH (" + config.path() + ")")
            : includeProgram(keep, program.get(), because, needed);
      }
      case SHELL -> includeProgram(keep, UnixPath.of("/bin/sh"), because, needed)
          .map(why -> "the image has no /bin/sh");
      case CERTS -> unless(includeAny(keep, CERT_PATHS, because),
          "the image has none of " + String.join(", ", CERT_PATHS));
      case ZONEINFO -> unless(includeAny(keep, ZONEINFO_PATHS, because),
          "the image has none of " + String.join(", ", ZONEINFO_PATHS));
      case WORKDIR -> config.workingDir().isEmpty() ? Optional.of("the image sets no WORKDIR")
          : unless(includeTree(keep, UnixPath.of(config.workingDir()), because, true),
              "WORKDIR " + config.workingDir() + " is not in the image");
      case EXEC_PROGRAM -> {
        // what the image lacks (a builtin, a function, a typo the exec's exit code shows) is no error
        commandProgram(rule.target()).ifPresent(p -> includeProgram(keep, p, because, needed));
        yield Optional.empty();
      }
    };
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    String message = "include rule " + number + " (" + rule.origin() + "): " + missing.get();
    if (rules.allowMissingIncludes()) {
      return Optional.of(message);
    }
    throw new KeepRuleException(message + " (--allow-missing-includes makes this a warning)");
  }

  /** Nothing missing when {@code found}, else {@code missing}. */
  private static Optional<String> unless(boolean found, String missing) {
    return found ? Optional.empty() : Optional.of(missing);
  }

  private boolean includeAny(KeepSelection keep, List<String> paths, KeptBecause because) {
    boolean any = false;
    for (String path : paths) {
      any |= includeTree(keep, UnixPath.of(path), because, true);
    }
    return any;
  }

  /**
   * Keeps {@code path} (and the links on its way) and, when it is a directory, everything
   * below it. With {@code followLinks}, links inside the tree bring their targets along, so
   * the tree works as it did in the image (/etc/ssl/certs/*.pem point into
   * /usr/share/ca-certificates); without, the tree is kept exactly as it is.
   *
   * @return false when {@code path} does not resolve inside the image
   */
  private boolean includeTree(KeepSelection keep, UnixPath path, KeptBecause because, boolean followLinks) {
    PathResolution r = fs.resolve(path);
    if (!r.exists()) {
      return false;
    }
    List<UnixPath> roots = new ArrayList<>(List.of(r.resolved()));
    r.symlinks().forEach(s -> keep.force(s, because));
    for (int i = 0; i < roots.size(); i++) {
      UnixPath root = roots.get(i);
      keep.force(root, because);
      for (FileEntry e : fs.below(root)) {
        keep.force(e.path(), because);
        if (followLinks && e.type() == EntryType.SYMLINK) {
          PathResolution target = fs.resolve(e.path());
          if (target.exists() && roots.stream().noneMatch(done -> target.resolved().isSameOrBelow(done))) {
            target.symlinks().forEach(s -> keep.force(s, because));
            roots.add(target.resolved());
          }
        }
      }
    }
    return true;
  }

  /**
   * Keeps a program and its ELF loader closure (interpreter, libraries, script interpreter).
   *
   * @return why it could not be; empty when it is kept
   */
  private Optional<String> includeProgram(KeepSelection keep, UnixPath path, KeptBecause because,
      KeptBecause needed) {
    PathResolution r = fs.resolve(path);
    if (!r.exists()) {
      return Optional.of(path + " is not in the image");
    }
    if (fs.entry(r.resolved()).map(FileEntry::isDirectory).orElse(true)) {
      return Optional.of(path + " is a directory, not a program");
    }
    keep.force(r.resolved(), because);
    r.symlinks().forEach(s -> keep.force(s, because));
    ElfClosure closure = elfClosure(List.of(r.resolved()));
    closure.files().forEach(p -> keep.force(p, needed));
    closure.symlinks().forEach(p -> keep.force(p, needed));
    return Optional.empty();
  }

  /**
   * Why {@code path} is or is not in the slim image, as one line.
   */
  private Explanation explain(KeepSet keep, String asked, UnixPath path) {
    KeptBecause why = keep.reasons().get(path);
    if (why != null) {
      return new Explanation(asked, true, "kept: " + why.describe());
    }
    Exclusion exclusion = keep.excluded().get(path);
    if (exclusion != null) {
      return new Explanation(asked, false, "dropped: " + exclusion.describe());
    }
    DroppedFile dropped = keep.dropped().get(path);
    if (dropped != null) {
      return new Explanation(asked, false, "dropped: " + dropped.describe());
    }
    if (fs.entry(path).isPresent()) {
      return new Explanation(asked, false, "dropped: not observed, and no rule keeps it");
    }
    PathResolution r = fs.resolve(path);
    if (r.exists()) {
      Explanation target = explain(keep, r.resolved().toString(), r.resolved());
      return new Explanation(asked, target.kept() && r.symlinks().stream().allMatch(keep::contains),
          "not an entry of the image: it resolves through "
              + String.join(", ", r.symlinks().stream().map(UnixPath::toString).toList()) + " to "
              + r.resolved() + ", which is " + target.verdict());
    }
    if (keep.observedNotInImage().contains(path)) {
      return new Explanation(asked, false, "not in the image: the app opened it, but it was created at run time"
          + " or lives on a mount");
    }
    return new Explanation(asked, false, "not in the image");
  }

  /**
   * The first word of ENTRYPOINT+CMD looked up the way the engine looks it up: a name with a
   * '/' is taken as is (relative to WORKDIR), a bare name is searched on the image PATH.
   */
  private Optional<UnixPath> entrypointProgram() {
    List<String> command = config.command();
    return command.isEmpty() ? Optional.empty() : commandProgram(command.get(0));
  }

  /** A command's program looked up like the engine (and a shell) looks it up. */
  private Optional<UnixPath> commandProgram(String program) {
    if (program.contains("/")) {
      UnixPath base = config.workingDir().isEmpty() ? UnixPath.ROOT : UnixPath.of(config.workingDir());
      return Optional.of(program.startsWith("/") ? UnixPath.of(program) : base.resolve(program));
    }
    return findOnPath(program);
  }

  /** The first file named {@code program} in a directory of the image's PATH, as the engine searches. */
  private Optional<UnixPath> findOnPath(String program) {
    for (String dir : config.path().split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      UnixPath candidate = UnixPath.of(dir).resolve(program);
      PathResolution r = fs.resolve(candidate);
      if (r.exists() && fs.entry(r.resolved()).map(FileEntry::hasContent).orElse(false)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * For every kept {@code DIR/__pycache__/NAME.TAG[.opt-N].pyc}, keeps {@code DIR/NAME.py}.
   * Python finds modules by their source file name and only stat()s it when the cache is
   * fresh; fanotify reports opens, not stats, so the source would otherwise be dropped.
   */
  private void addBytecodeSources(KeepSelection keep) {
    for (UnixPath path : List.copyOf(keep.paths())) {
      Optional<UnixPath> source = pythonSourceOf(path);
      if (source.isPresent() && fs.entry(source.get()).isPresent()) {
        keep.offer(source.get(), new KeptBecause(KeepReason.BYTECODE_SOURCE, "source of " + path));
      }
    }
  }

  static Optional<UnixPath> pythonSourceOf(UnixPath pycPath) {
    UnixPath dir = pycPath.parent();
    if (!dir.nameEquals("__pycache__") || !pycPath.nameEndsWith(".pyc")) {
      return Optional.empty();
    }
    byte[] name = pycPath.name();
    int tag = 0;
    while (tag < name.length && name[tag] != '.') {
      tag++;
    }
    if (tag == 0) {
      return Optional.empty();
    }
    byte[] source = java.util.Arrays.copyOf(name, tag + 3);
    source[tag] = '.';
    source[tag + 1] = 'p';
    source[tag + 2] = 'y';
    return Optional.of(dir.parent().child(source));
  }

  /**
   * Adds the ELF interpreter and shared library closure of every kept regular file, except
   * those of --preserve-path trees, which are kept exactly as they are.
   */
  private List<String> addElfClosure(KeepSelection keep) {
    List<UnixPath> candidates = keep.entries().stream()
        .filter(e -> e.getValue().reason() != KeepReason.PRESERVED)
        .map(Map.Entry::getKey)
        .filter(p -> fs.entry(p).map(FileEntry::hasContent).orElse(false))
        .toList();
    ElfClosure closure = elfClosure(candidates);
    KeptBecause needed = KeptBecause.of(KeepReason.ELF_NEEDED);
    closure.files().forEach(p -> keep.offer(p, needed));
    closure.symlinks().forEach(p -> keep.offer(p, needed));
    return closure.missing().stream().map(m -> m.name() + " (needed by " + m.neededBy() + ")").toList();
  }

  private ElfClosure elfClosure(List<UnixPath> startPaths) {
    String ldLibraryPath = config.envValue("LD_LIBRARY_PATH");
    List<String> ldPath = ldLibraryPath == null ? List.of()
        : Arrays.stream(ldLibraryPath.split(":")).filter(s -> !s.isEmpty()).toList();
    ElfClosure closure;
    try {
      closure = new ElfDependencyResolver(fs, ldPath).closure(startPaths);
    } catch (IOException e) {
      throw new UncheckedIOException("reading executables from the image failed: " + e.getMessage(), e);
    }
    return closure;
  }

  /**
   * Keeps every symlink of the image whose resolution ends on a kept path, with the symlinks
   * it passes through. The kernel reports opens by their resolved path, but the app (and
   * the loader, and scripts) name them through these links. Repeated until nothing changes,
   * because a newly kept link can make another link's target complete.
   */
  private void addSymlinksToKept(KeepSelection keep) {
    List<FileEntry> symlinks = fs.entries().stream().filter(e -> e.type() == EntryType.SYMLINK).toList();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (FileEntry link : symlinks) {
        if (keep.contains(link.path())) {
          continue;
        }
        PathResolution r = fs.resolve(link.path());
        if (r.exists() && keep.contains(r.resolved())
            && keep.offer(link.path(), new KeptBecause(KeepReason.SYMLINK_TO_KEPT, "to " + r.resolved()))) {
          // the links it passes through are needed to reach it, excluded or not
          r.symlinks().forEach(s -> keep.force(s, new KeptBecause(KeepReason.SYMLINK_TO_KEPT, "to " + r.resolved())));
          addParents(keep, link.path());
          r.symlinks().forEach(s -> addParents(keep, s));
          changed = true;
        }
      }
    }
  }

  /**
   * Keeps what each kept symlink points to, when the image has it: a link a rule kept with its
   * tree would dangle in the slim image otherwise, and resolving a dangling link fails where
   * the original resolved (realpath, stat). A directory target is kept with everything below
   * it, as wholesale as the tree the link came with; links found there are followed in turn.
   * A preserved tree is kept exactly as it is, without its links' targets.
   */
  private void addLinkTargets(KeepSelection keep) {
    Set<UnixPath> done = new HashSet<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (var kept : List.copyOf(keep.entries())) {
        UnixPath link = kept.getKey();
        if (kept.getValue().reason() == KeepReason.PRESERVED || !done.add(link)
            || fs.entry(link).map(e -> e.type() != EntryType.SYMLINK).orElse(true)) {
          continue;
        }
        PathResolution r = fs.resolve(link);
        if (!r.exists() || keep.contains(r.resolved())) {
          continue;
        }
        KeptBecause because = new KeptBecause(KeepReason.LINK_TARGET, "of " + link);
        r.symlinks().forEach(s -> keep.offer(s, because));
        boolean directory = fs.entry(r.resolved()).map(FileEntry::isDirectory).orElse(false);
        if (directory && r.resolved().depth() <= 2) {
          continue; // a link to /usr or /usr/lib names no unit: keeping what it points to would keep everything
        }
        if (directory) {
          keep.offerWholesale(r.resolved(), because);
          for (FileEntry e : fs.below(r.resolved())) {
            keep.offerWholesale(e.path(), because);
          }
        } else {
          keep.offer(r.resolved(), because);
        }
        changed = true;
      }
    }
  }

  /** Every directory above a kept entry; the layer cannot hold an entry without its parents. */
  private void addParents(KeepSelection keep) {
    for (UnixPath path : List.copyOf(keep.paths())) {
      addParents(keep, path);
    }
  }

  private void addParents(KeepSelection keep, UnixPath path) {
    if (path.isRoot()) {
      return;
    }
    KeptBecause because = new KeptBecause(KeepReason.PARENT_DIR, "of " + path);
    UnixPath parent = path.parent();
    while (true) {
      // "/" is kept only when a layer declares it; the writer adds nothing on its own
      if (parent.isRoot() && fs.entry(UnixPath.ROOT).isEmpty()) {
        return;
      }
      // exclusion never removes a directory a kept entry lies in
      keep.force(parent, because);
      if (parent.isRoot()) {
        return;
      }
      parent = parent.parent();
    }
  }

  /** Adds {@code path} (and the symlinks it goes through) when it resolves inside the image. */
  private void addResolved(KeepSelection keep, UnixPath path, KeptBecause reason) {
    PathResolution r = fs.resolve(path);
    if (r.exists()) {
      keep.offer(r.resolved(), reason);
      r.symlinks().forEach(s -> keep.offer(s, reason));
    }
  }

  private boolean addIfPresent(KeepSelection keep, UnixPath path, KeptBecause reason) {
    if (fs.entry(path).isPresent()) {
      keep.offer(path, reason);
      return true;
    }
    PathResolution r = fs.resolve(path);
    if (r.exists()) {
      // reported through a symlinked directory (should not happen for kernel paths, but
      // include rules and config paths may name links)
      addResolved(keep, path, reason);
      return true;
    }
    return false;
  }
}
