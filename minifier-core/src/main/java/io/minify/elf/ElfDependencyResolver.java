package io.minify.elf;

import io.minify.elf.ElfClosure.MissingDependency;
import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import io.minify.shell.Shebang;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Computes, inside an image, what the dynamic loader would load for a set of programs:
 * their interpreter and the transitive DT_NEEDED closure, searched like glibc's ld.so does:
 * DT_RPATH (only without DT_RUNPATH, inherited along the loading chain), LD_LIBRARY_PATH,
 * DT_RUNPATH, the image's /etc/ld.so.conf (the image's ld.so.cache is not read: the conf
 * files it was built from are), then the default directories. Candidates of another ELF
 * class or machine are skipped, as ld.so does. musl images (interpreter ld-musl-*) also
 * get /etc/ld-musl-ARCH.path or musl's defaults.
 *
 * <p>Everything is read through the {@link ImageFilesystem}; symlinks are resolved inside
 * the image, never on the host. The resolver holds no mutable state; each
 * {@link #closure} call is independent.
 */
public final class ElfDependencyResolver {
  private static final int MAX_CONF_INCLUDE_DEPTH = 10;
  private static final int MAX_CONF_BYTES = 1 << 20;
  /** The kernel reads at most this much of a "#!" line (BINPRM_BUF_SIZE). */
  private static final int SHEBANG_BYTES = 256;
  private static final List<String> MUSL_DEFAULT_DIRS = List.of("/lib", "/usr/local/lib", "/usr/lib");
  /** PATH used to follow "#!/usr/bin/env NAME": Docker's default PATH. */
  private static final List<String> ENV_SEARCH_PATH =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
  private static final Pattern ORIGIN = Pattern.compile("\\$(\\{ORIGIN\\}|ORIGIN(?![A-Za-z0-9_]))");
  private static final Pattern LIB = Pattern.compile("\\$(\\{LIB\\}|LIB(?![A-Za-z0-9_]))");
  private static final Pattern PLATFORM = Pattern.compile("\\$(\\{PLATFORM\\}|PLATFORM(?![A-Za-z0-9_]))");

  private final ImageFilesystem fs;
  private final List<String> ldLibraryPath;
  private final ElfParser parser = new ElfParser();

  /**
   * @param fs            the image to search
   * @param ldLibraryPath the LD_LIBRARY_PATH of the image's config (split on ':'), or empty
   */
  public ElfDependencyResolver(ImageFilesystem fs, List<String> ldLibraryPath) {
    this.fs = fs;
    this.ldLibraryPath = List.copyOf(ldLibraryPath);
  }

  /** The closure of {@code startPaths} (absolute image paths; non-ELF files are kept as they are). */
  public ElfClosure closure(Collection<UnixPath> startPaths) throws IOException {
    Session session = new Session();
    for (UnixPath start : startPaths) {
      session.addStart(start);
    }
    session.drain();
    return session.result();
  }

  /**
   * The ELF interpreter (PT_INTERP) the program at {@code path} names, resolved in the image;
   * empty when it is not an ELF program, is static, or is malformed.
   */
  public Optional<UnixPath> interpreterOf(UnixPath path) throws IOException {
    PathResolution r = fs.resolve(path);
    Optional<FileEntry> entry = r.exists() ? fs.entry(r.resolved()).filter(FileEntry::hasContent) : Optional.empty();
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    long size = entry.get().type() == EntryType.HARDLINK
        ? fs.entry(entry.get().hardlinkTarget()).map(FileEntry::size).orElse(0L) : entry.get().size();
    try (ImageFileChannel channel = new ImageFileChannel(fs, entry.get(), size)) {
      Optional<String> interpreter = parser.parse(channel).map(ElfInfo::interpreter);
      if (interpreter.isEmpty()) {
        return Optional.empty();
      }
      PathResolution i = fs.resolve(interpreter.get());
      return i.exists() ? Optional.of(i.resolved()) : Optional.empty();
    } catch (ElfFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * A file to examine.
   *
   * @param realPath        its symlink-free path
   * @param origin          $ORIGIN: the directory it was found through (ld.so does not
   *                        canonicalize library paths; the kernel does for programs); null
   *                        when that directory's name is not UTF-8 and cannot be put in a
   *                        search path without changing it
   * @param inheritedRpath  expanded DT_RPATH dirs of the objects that loaded it
   * @param loader          PT_INTERP of the program it belongs to, null while unknown
   */
  private record Work(UnixPath realPath, String origin, List<String> inheritedRpath, String loader) {}

  private record Found(UnixPath realPath, String loadedAs) {}

  private record LookupKey(String soname, List<String> dirs, ElfIdentity identity) {}

  /** Parse outcome of one file: info when it is a usable ELF file. */
  private record Parsed(Optional<ElfInfo> info) {}

  /** The mutable bookkeeping of one closure computation. */
  private final class Session {
    private final TreeSet<UnixPath> files = new TreeSet<>();
    private final TreeSet<UnixPath> symlinks = new TreeSet<>();
    private final Set<MissingDependency> missing = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();
    private final Deque<Work> queue = new ArrayDeque<>();
    private final Set<UnixPath> visited = new HashSet<>();
    private final Map<UnixPath, Parsed> parsedByPath = new HashMap<>();
    private final Map<LookupKey, Optional<Found>> lookups = new HashMap<>();
    private List<String> ldSoConfDirs;
    private final Map<String, List<String>> muslDirsByLoader = new HashMap<>();

    void addStart(UnixPath start) throws IOException {
      PathResolution resolution = fs.resolve(start);
      if (!resolution.exists()) {
        problems.add(start + ": not found in the image");
        return;
      }
      symlinks.addAll(resolution.symlinks());
      files.add(resolution.resolved());
      queue.add(new Work(resolution.resolved(), originOf(resolution.resolved()), List.of(), null));
    }

    void drain() throws IOException {
      while (!queue.isEmpty()) {
        Work work = queue.removeFirst();
        if (visited.add(work.realPath())) {
          examine(work);
        }
      }
    }

    ElfClosure result() {
      return new ElfClosure(new ArrayList<>(files), new ArrayList<>(symlinks), new ArrayList<>(missing), problems);
    }

    private void examine(Work work) throws IOException {
      Optional<FileEntry> entry = fs.entry(work.realPath());
      if (entry.isEmpty() || !hasContent(entry.get())) {
        return; // directories, devices: nothing to load
      }
      byte[] head;
      try (InputStream in = fs.open(entry.get())) {
        head = in.readNBytes(SHEBANG_BYTES);
      }
      if (Shebang.startsScript(head)) {
        followShebang(work.realPath(), head);
        return;
      }
      if (head.length < 4 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
        return;
      }
      Optional<ElfInfo> parsed = parse(work.realPath(), entry.get());
      if (parsed.isEmpty()) {
        return;
      }
      ElfInfo info = parsed.get();
      String loader = work.loader() != null ? work.loader() : info.interpreter();
      if (info.interpreter() != null) {
        Optional<UnixPath> interpreter = include(info.interpreter());
        if (interpreter.isEmpty()) {
          missing.add(new MissingDependency(info.interpreter(), work.realPath()));
        } else {
          queue.add(new Work(interpreter.get(), originOf(interpreter.get()), List.of(), loader));
        }
      }
      List<String> ownRpath = info.runpath().isEmpty() ? expand(info.rpath(), work.origin(), info) : List.of();
      List<String> rpathChain = concat(ownRpath, work.inheritedRpath());
      // ld.so ignores every DT_RPATH (own and inherited) of an object that has DT_RUNPATH.
      List<String> searchDirs = concat(
          info.runpath().isEmpty() ? rpathChain : List.of(),
          expand(ldLibraryPath, work.origin(), info),
          expand(info.runpath(), work.origin(), info),
          configDirs(loader),
          defaultDirs(info));
      for (String soname : info.needed()) {
        Optional<Found> found = find(soname, searchDirs, info);
        if (found.isEmpty()) {
          missing.add(new MissingDependency(soname, work.realPath()));
        } else {
          queue.add(new Work(found.get().realPath(), textParentOf(found.get().loadedAs()), rpathChain, loader));
        }
      }
    }

    /** "#!INTERP [ARG]": keep the interpreter; for "/usr/bin/env NAME" also NAME from PATH. */
    private void followShebang(UnixPath script, byte[] head) throws IOException {
      Optional<Shebang> line = Shebang.parse(new String(head, 2, head.length - 2, StandardCharsets.UTF_8));
      if (line.isEmpty()) {
        problems.add(script + ": \"#!\" line longer than " + SHEBANG_BYTES + " bytes");
        return;
      }
      String interpreterPath = line.get().interpreter();
      if (!interpreterPath.startsWith("/")) {
        problems.add(script + ": \"#!\" line has no absolute interpreter");
        return;
      }
      Optional<UnixPath> interpreter = include(interpreterPath);
      if (interpreter.isEmpty()) {
        missing.add(new MissingDependency(interpreterPath, script));
        return;
      }
      queue.add(new Work(interpreter.get(), originOf(interpreter.get()), List.of(), null));
      if (interpreter.get().nameEquals("env")) {
        Optional<String> command = line.get().envCommand();
        if (command.isPresent()) {
          followEnvCommand(script, command.get());
        }
      }
    }

    private void followEnvCommand(UnixPath script, String command) throws IOException {
      if (command.contains("/")) {
        return;
      }
      for (String dir : ENV_SEARCH_PATH) {
        Optional<UnixPath> program = include(dir + "/" + command);
        if (program.isPresent()) {
          queue.add(new Work(program.get(), originOf(program.get()), List.of(), null));
          return;
        }
      }
      missing.add(new MissingDependency(command, script));
    }

    /** Resolves {@code path} and, when it names a file, records it and the symlinks used. */
    private Optional<UnixPath> include(String path) {
      PathResolution resolution = fs.resolve(path);
      if (fileWithContent(resolution).isEmpty()) {
        return Optional.empty();
      }
      symlinks.addAll(resolution.symlinks());
      files.add(resolution.resolved());
      return Optional.of(resolution.resolved());
    }

    private Optional<Found> find(String soname, List<String> searchDirs, ElfInfo needer) throws IOException {
      List<String> dirs = soname.contains("/") ? List.of() : searchDirs;
      LookupKey key = new LookupKey(soname, dirs, needer.identity());
      Optional<Found> cached = lookups.get(key);
      if (cached == null) {
        cached = search(soname, dirs, needer);
        lookups.put(key, cached);
      }
      cached.ifPresent(found -> include(found.loadedAs()));
      return cached;
    }

    private Optional<Found> search(String soname, List<String> dirs, ElfInfo needer) throws IOException {
      if (soname.contains("/")) {
        // A DT_NEEDED with a slash is a path, used as is (relative ones depend on the cwd).
        return soname.startsWith("/") ? candidate(soname, needer) : Optional.empty();
      }
      for (String dir : dirs) {
        if (dir.startsWith("/")) {
          Optional<Found> found = candidate(trimTrailingSlashes(dir) + "/" + soname, needer);
          if (found.isPresent()) {
            return found;
          }
        }
      }
      return Optional.empty();
    }

    private Optional<Found> candidate(String path, ElfInfo needer) throws IOException {
      PathResolution resolution = fs.resolve(path);
      Optional<FileEntry> entry = fileWithContent(resolution);
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      Optional<ElfInfo> library = parse(resolution.resolved(), entry.get());
      if (library.isEmpty() || !needer.canLoad(library.get())) {
        return Optional.empty(); // ld.so skips wrong-class/machine files and keeps searching
      }
      return Optional.of(new Found(resolution.resolved(), path));
    }

    private Optional<ElfInfo> parse(UnixPath realPath, FileEntry entry) throws IOException {
      Parsed parsed = parsedByPath.get(realPath);
      if (parsed == null) {
        try (ImageFileChannel channel = new ImageFileChannel(fs, entry, contentSize(entry))) {
          parsed = new Parsed(parser.parse(channel));
        } catch (ElfFormatException e) {
          problems.add(realPath + ": malformed ELF file: " + e.getMessage());
          parsed = new Parsed(Optional.empty());
        }
        parsedByPath.put(realPath, parsed);
      }
      return parsed.info();
    }

    private List<String> expand(List<String> dirs, String origin, ElfInfo info) {
      List<String> expanded = new ArrayList<>(dirs.size());
      for (String dir : dirs) {
        if (ORIGIN.matcher(dir).find() && origin == null) {
          problems.add("cannot expand $ORIGIN in '" + dir + "': the directory's name is not UTF-8");
          continue;
        }
        String value = origin == null ? dir : ORIGIN.matcher(dir).replaceAll(java.util.regex.Matcher.quoteReplacement(origin));
        value = LIB.matcher(value).replaceAll(libDirName(info));
        value = PLATFORM.matcher(value).replaceAll(info.identity() == null ? "unknown" : info.identity().platform());
        if (!value.isEmpty()) {
          expanded.add(value);
        }
      }
      return expanded;
    }

    /** $LIB: Debian's multiarch "lib/TRIPLET" when the image has it, else lib64/lib. */
    private String libDirName(ElfInfo info) {
      ElfIdentity identity = info.identity();
      String triplet = identity == null ? null : identity.multiarchTriplet();
      if (triplet != null && isDirectory("/lib/" + triplet)) {
        return "lib/" + triplet;
      }
      return identity != null && identity.elfClass() == ElfIdentity.ElfClass.ELF64 ? "lib64" : "lib";
    }

    private List<String> defaultDirs(ElfInfo info) {
      List<String> dirs = new ArrayList<>();
      ElfIdentity identity = info.identity();
      String triplet = identity == null ? null : identity.multiarchTriplet();
      if (triplet != null) {
        dirs.add("/lib/" + triplet);
        dirs.add("/usr/lib/" + triplet);
      }
      if (identity == null || identity.elfClass() == ElfIdentity.ElfClass.ELF64) {
        dirs.add("/lib64");
        dirs.add("/usr/lib64");
      }
      dirs.add("/lib");
      dirs.add("/usr/lib");
      return dirs;
    }

    private List<String> configDirs(String loader) throws IOException {
      if (loader != null && textNameOf(loader).startsWith("ld-musl-")) {
        List<String> dirs = muslDirsByLoader.get(loader);
        if (dirs == null) {
          dirs = muslDirs(loader);
          muslDirsByLoader.put(loader, dirs);
        }
        return dirs;
      }
      if (ldSoConfDirs == null) {
        List<String> dirs = new ArrayList<>();
        readLdSoConf("/etc/ld.so.conf", 0, new HashSet<>(), dirs);
        ldSoConfDirs = List.copyOf(dirs);
      }
      return ldSoConfDirs;
    }

    /** musl reads /etc/ld-musl-ARCH.path (dirs separated by ':' or newlines) instead of ld.so.conf. */
    private List<String> muslDirs(String loader) throws IOException {
      String name = textNameOf(loader); // ld-musl-x86_64.so.1
      int end = name.indexOf(".so");
      String arch = name.substring("ld-musl-".length(), end < 0 ? name.length() : end);
      Optional<String> pathFile = readSmallFile("/etc/ld-musl-" + arch + ".path");
      if (pathFile.isEmpty()) {
        return MUSL_DEFAULT_DIRS;
      }
      List<String> dirs = new ArrayList<>();
      for (String dir : pathFile.get().split("[:\\n]")) {
        if (!dir.isBlank()) {
          dirs.add(dir.trim());
        }
      }
      return dirs;
    }

    private void readLdSoConf(String confPath, int depth, Set<String> seen, List<String> dirs) throws IOException {
      if (depth > MAX_CONF_INCLUDE_DEPTH || !seen.add(confPath)) {
        return;
      }
      Optional<String> content = readSmallFile(confPath);
      if (content.isEmpty()) {
        return;
      }
      for (String rawLine : content.get().split("\n")) {
        int hash = rawLine.indexOf('#');
        String line = (hash >= 0 ? rawLine.substring(0, hash) : rawLine).trim();
        if (line.isEmpty() || line.startsWith("hwcap")) {
          continue;
        }
        if (line.startsWith("include") && line.length() > 7 && Character.isWhitespace(line.charAt(7))) {
          for (String pattern : line.substring(8).trim().split("\\s+")) {
            // ldconfig: a relative include is relative to the including file's directory.
            String absolute = pattern.startsWith("/") ? pattern : textParentOf(confPath) + "/" + pattern;
            for (String included : glob(absolute)) {
              readLdSoConf(included, depth + 1, seen, dirs);
            }
          }
          continue;
        }
        for (String dir : line.split("[\\s:,]+")) {
          int equals = dir.indexOf('='); // legacy "DIR=TYPE"
          String cleaned = trimTrailingSlashes(equals >= 0 ? dir.substring(0, equals) : dir);
          if (cleaned.startsWith("/") && !dirs.contains(cleaned)) {
            dirs.add(cleaned);
          }
        }
      }
    }

    /** Files of the image matching a pattern whose wildcards are in the last component only. */
    private List<String> glob(String pattern) {
      String dir = textParentOf(pattern);
      String namePattern = textNameOf(pattern);
      if (dir.matches(".*[*?\\[].*")) {
        problems.add("ld.so.conf include '" + pattern + "': wildcards in directories are not supported");
        return List.of();
      }
      PathResolution resolvedDir = fs.resolve(dir);
      if (!resolvedDir.exists()) {
        return List.of();
      }
      Pattern regex = Pattern.compile(globToRegex(namePattern));
      TreeSet<String> matches = new TreeSet<>();
      for (FileEntry entry : fs.below(resolvedDir.resolved())) {
        if (!entry.path().parent().equals(resolvedDir.resolved())) {
          continue;
        }
        // conf file names are text; one that is not UTF-8 cannot match a text pattern
        entry.path().toUtf8().map(ElfDependencyResolver::textNameOf)
            .filter(name -> regex.matcher(name).matches())
            .ifPresent(name -> matches.add(dir + "/" + name));
      }
      return new ArrayList<>(matches);
    }

    /** The entry a resolved path ends on, when it exists and has readable content. */
    private Optional<FileEntry> fileWithContent(PathResolution resolution) {
      if (!resolution.exists()) {
        return Optional.empty();
      }
      return fs.entry(resolution.resolved()).filter(this::hasContent);
    }

    private Optional<String> readSmallFile(String path) throws IOException {
      Optional<FileEntry> entry = fileWithContent(fs.resolve(path));
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(entry.get())) {
        return Optional.of(new String(in.readNBytes(MAX_CONF_BYTES), StandardCharsets.UTF_8));
      }
    }

    private boolean isDirectory(String path) {
      PathResolution resolution = fs.resolve(path);
      return resolution.exists() && fs.entry(resolution.resolved()).map(FileEntry::isDirectory).orElse(false);
    }

    private boolean hasContent(FileEntry entry) {
      return entry.type() == EntryType.FILE || entry.type() == EntryType.HARDLINK;
    }

    /** FileEntry.size is 0 for a HARDLINK; its bytes are those of the FILE it names. */
    private long contentSize(FileEntry entry) {
      if (entry.type() == EntryType.HARDLINK && entry.hardlinkTarget() != null) {
        return fs.entry(entry.hardlinkTarget()).map(FileEntry::size).orElse(0L);
      }
      return entry.size();
    }
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> list : lists) {
      all.addAll(list);
    }
    return all;
  }

  /** $ORIGIN of a file found at {@code path}: its directory, as text when the name is UTF-8. */
  private static String originOf(UnixPath path) {
    return path.parent().toUtf8().orElse(null);
  }

  /** The directory part of a path written as text ("/usr/lib" of "/usr/lib/libz.so.1"). */
  private static String textParentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The last component of a path written as text. */
  private static String textNameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String trimTrailingSlashes(String dir) {
    String trimmed = dir;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }

  /** Shell glob (*, ?, [...]) of one path component to a regex. */
  static String globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    boolean inClass = false;
    for (char c : glob.toCharArray()) {
      if (inClass) {
        if (c == ']') {
          inClass = false;
          regex.append(']');
        } else if (c == '\\') {
          regex.append("\\\\");
        } else {
          regex.append(c == '!' && regex.charAt(regex.length() - 1) == '[' ? '^' : c);
        }
        continue;
      }
      switch (c) {
        case '*' -> regex.append("[^/]*");
        case '?' -> regex.append("[^/]");
        case '[' -> {
          inClass = true;
          regex.append('[');
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return inClass ? Pattern.quote(glob) : regex.toString();
  }
}
