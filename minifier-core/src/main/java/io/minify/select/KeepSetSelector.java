package io.minify.select;

import io.minify.elf.ElfClosure;
import io.minify.elf.ElfDependencyResolver;
import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageConfig;
import io.minify.image.ImageFilesystem;
import io.minify.image.PathResolution;
import io.minify.sensor.AccessLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

  public KeepSet select(AccessLog log) {
    Map<String, KeepReason> keep = new LinkedHashMap<>();
    List<String> notInImage = new ArrayList<>();

    for (String path : log.files()) {
      if (!addIfPresent(keep, path, KeepReason.OBSERVED)) {
        notInImage.add(path);
      }
    }
    for (String path : log.directories()) {
      addIfPresent(keep, path, KeepReason.OBSERVED);
    }
    entrypointProgram().ifPresent(p -> addResolved(keep, p, KeepReason.ENTRYPOINT));
    if (!config.user().isEmpty()) {
      addIfPresent(keep, "/etc/passwd", KeepReason.USER_DB);
      addIfPresent(keep, "/etc/group", KeepReason.USER_DB);
    }
    for (String volume : config.volumes()) {
      String root = normalize(volume);
      for (FileEntry e : fs.entries()) {
        if (e.path().equals(root) || e.path().startsWith(root.equals("/") ? "/" : root + "/")) {
          keep.putIfAbsent(e.path(), KeepReason.VOLUME);
        }
      }
    }
    for (FileEntry e : fs.entries()) {
      if (e.isDirectory() && (e.uid() != ROOT_UID || e.gid() != ROOT_UID || e.mode() != DEFAULT_DIR_MODE)) {
        keep.putIfAbsent(e.path(), KeepReason.SPECIAL_DIR);
      }
    }

    addBytecodeSources(keep);
    List<String> unresolved = addElfClosure(keep);
    // parents first: a link such as /bin -> usr/bin leads to a directory kept only as a parent
    addParents(keep);
    addSymlinksToKept(keep);
    return new KeepSet(new TreeMap<>(keep), notInImage, unresolved);
  }

  /**
   * The first word of ENTRYPOINT+CMD looked up the way the engine looks it up: a name with a
   * '/' is taken as is (relative to WORKDIR), a bare name is searched on the image PATH.
   */
  private Optional<String> entrypointProgram() {
    List<String> command = config.command();
    if (command.isEmpty()) {
      return Optional.empty();
    }
    String program = command.get(0);
    if (program.contains("/")) {
      String base = config.workingDir().isEmpty() ? "/" : config.workingDir();
      return Optional.of(program.startsWith("/") ? program : normalize(base + "/" + program));
    }
    for (String dir : config.path().split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      PathResolution r = fs.resolve(normalize(dir + "/" + program));
      if (r.exists() && fs.entry(r.resolved()).map(e -> e.type() == EntryType.FILE || e.type() == EntryType.HARDLINK).orElse(false)) {
        return Optional.of(r.requested());
      }
    }
    return Optional.empty();
  }

  /**
   * For every kept {@code DIR/__pycache__/NAME.TAG[.opt-N].pyc}, keeps {@code DIR/NAME.py}.
   * Python finds modules by their source file name and only stat()s it when the cache is
   * fresh; fanotify reports opens, not stats, so the source would otherwise be dropped.
   */
  private void addBytecodeSources(Map<String, KeepReason> keep) {
    for (String path : List.copyOf(keep.keySet())) {
      Optional<String> source = pythonSourceOf(path);
      if (source.isPresent() && fs.entry(source.get()).isPresent()) {
        keep.putIfAbsent(source.get(), KeepReason.BYTECODE_SOURCE);
      }
    }
  }

  static Optional<String> pythonSourceOf(String pycPath) {
    int slash = pycPath.lastIndexOf('/');
    String dir = pycPath.substring(0, Math.max(slash, 0));
    String name = pycPath.substring(slash + 1);
    if (!dir.endsWith("/__pycache__") || !name.endsWith(".pyc")) {
      return Optional.empty();
    }
    int tag = name.indexOf('.');
    if (tag <= 0) {
      return Optional.empty();
    }
    String parent = dir.substring(0, dir.length() - "/__pycache__".length());
    return Optional.of((parent.isEmpty() ? "" : parent) + "/" + name.substring(0, tag) + ".py");
  }

  /** Adds the ELF interpreter and shared library closure of every kept regular file. */
  private List<String> addElfClosure(Map<String, KeepReason> keep) {
    List<String> candidates = keep.keySet().stream()
        .filter(p -> fs.entry(p).map(e -> e.type() == EntryType.FILE || e.type() == EntryType.HARDLINK).orElse(false))
        .toList();
    String ldLibraryPath = config.envValue("LD_LIBRARY_PATH");
    List<String> ldPath = ldLibraryPath == null ? List.of()
        : Arrays.stream(ldLibraryPath.split(":")).filter(s -> !s.isEmpty()).toList();
    ElfClosure closure;
    try {
      closure = new ElfDependencyResolver(fs, ldPath).closure(candidates);
    } catch (IOException e) {
      throw new UncheckedIOException("reading executables from the image failed: " + e.getMessage(), e);
    }
    closure.files().forEach(p -> keep.putIfAbsent(p, KeepReason.ELF_NEEDED));
    closure.symlinks().forEach(p -> keep.putIfAbsent(p, KeepReason.ELF_NEEDED));
    return closure.missing().stream().map(m -> m.name() + " (needed by " + m.neededBy() + ")").toList();
  }

  /**
   * Keeps every symlink of the image whose resolution ends on a kept path, with the symlinks
   * it passes through. The kernel reports opens by their resolved path, but the app (and
   * the loader, and scripts) name them through these links. Repeated until nothing changes,
   * because a newly kept link can make another link's target complete.
   */
  private void addSymlinksToKept(Map<String, KeepReason> keep) {
    List<FileEntry> symlinks = fs.entries().stream().filter(e -> e.type() == EntryType.SYMLINK).toList();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (FileEntry link : symlinks) {
        if (keep.containsKey(link.path())) {
          continue;
        }
        PathResolution r = fs.resolve(link.path());
        if (r.exists() && keep.containsKey(r.resolved())) {
          keep.put(link.path(), KeepReason.SYMLINK_TO_KEPT);
          r.symlinks().forEach(s -> keep.putIfAbsent(s, KeepReason.SYMLINK_TO_KEPT));
          addParents(keep, link.path());
          r.symlinks().forEach(s -> addParents(keep, s));
          changed = true;
        }
      }
    }
  }

  /** Every directory above a kept entry; the layer cannot hold an entry without its parents. */
  private void addParents(Map<String, KeepReason> keep) {
    for (String path : List.copyOf(keep.keySet())) {
      addParents(keep, path);
    }
  }

  private void addParents(Map<String, KeepReason> keep, String path) {
    String parent = parentOf(path);
    // "/" is kept only when a layer declares it; the writer adds nothing on its own
    while (parent != null && !(parent.equals("/") && fs.entry("/").isEmpty())) {
      keep.putIfAbsent(parent, KeepReason.PARENT_DIR);
      parent = parentOf(parent);
    }
  }

  /** Adds {@code path} (and the symlinks it goes through) when it resolves inside the image. */
  private void addResolved(Map<String, KeepReason> keep, String path, KeepReason reason) {
    PathResolution r = fs.resolve(path);
    if (r.exists()) {
      keep.putIfAbsent(r.resolved(), reason);
      r.symlinks().forEach(s -> keep.putIfAbsent(s, reason));
    }
  }

  private boolean addIfPresent(Map<String, KeepReason> keep, String path, KeepReason reason) {
    if (fs.entry(path).isPresent()) {
      keep.putIfAbsent(path, reason);
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

  static String parentOf(String path) {
    if (path.equals("/")) {
      return null;
    }
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }
}
