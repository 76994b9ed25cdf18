package io.minify.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.path.UnixPath;
import io.minify.shell.Shebang;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * What a regular file is for, as far as its path and first bytes tell: the breakdown a user
 * reads to see where an image's bytes go (code that runs, docs nobody reads in a container,
 * caches and package-manager data left by the build).
 */
public enum ContentKind {
  ELF_EXECUTABLE("elf_executable"),
  ELF_LIBRARY("elf_library"),
  INTERPRETED_CODE("interpreted_code"),
  DOCS_MAN_LOCALE("docs_man_locale"),
  CACHE("cache"),
  PACKAGE_MANAGER_DATA("package_manager_data"),
  OTHER("other");

  private static final int ET_EXEC = 2;
  private static final int ET_DYN = 3;

  // Package managers' own trees, their caches included: they are the package manager's state
  // whatever their directory is called, so they are checked before the generic caches.
  private static final List<UnixPath> PACKAGE_MANAGER_TREES = paths("/var/lib/dpkg", "/var/lib/apt", "/var/cache/apt",
      "/var/cache/debconf", "/var/log/apt", "/lib/apk", "/etc/apk", "/var/cache/apk", "/var/lib/rpm", "/var/lib/dnf",
      "/var/cache/dnf", "/var/cache/yum");
  private static final List<UnixPath> DOC_TREES = paths("/usr/share/doc", "/usr/share/man", "/usr/share/info",
      "/usr/share/locale", "/usr/share/lintian", "/usr/share/gtk-doc", "/usr/share/help", "/usr/local/share/man",
      "/usr/local/share/doc");
  private static final List<UnixPath> CACHE_TREES = paths("/var/cache", "/tmp", "/var/tmp", "/root/.cache",
      "/root/.npm");
  private static final List<String> CODE_SUFFIXES = List.of(".py", ".pyc", ".pyo", ".pyi", ".js", ".mjs", ".cjs",
      ".ts", ".rb", ".pl", ".pm", ".php", ".sh", ".bash", ".lua", ".tcl", ".jar", ".class", ".war", ".jsp");

  private final String label;

  ContentKind(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  /** The kind of a FILE entry; reads at most its first 18 bytes. */
  public static ContentKind of(FileEntry file, ImageFilesystem fs) throws IOException {
    UnixPath path = file.path();
    if (below(path, PACKAGE_MANAGER_TREES)) {
      return PACKAGE_MANAGER_DATA;
    }
    if (below(path, DOC_TREES)) {
      return DOCS_MAN_LOCALE;
    }
    if (below(path, CACHE_TREES) || hasComponent(path, ".cache")) {
      return CACHE;
    }
    byte[] head;
    try (InputStream in = fs.open(file)) {
      head = in.readNBytes(18);
    }
    if (head.length >= 18 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
      // e_type follows the 16-byte identification, in the file's byte order (EI_DATA: 1 = little)
      int type = head[5] == 2 ? ((head[16] & 0xff) << 8) | (head[17] & 0xff) : ((head[17] & 0xff) << 8) | (head[16] & 0xff);
      if (type == ET_EXEC || (type == ET_DYN && !path.nameStartsWith("lib") && !isSharedObjectName(path))) {
        return ELF_EXECUTABLE; // ET_DYN without a library name: a position-independent executable
      }
      return ELF_LIBRARY;
    }
    if (Shebang.startsScript(head) || hasCodeSuffix(path)) {
      return INTERPRETED_CODE;
    }
    return OTHER;
  }

  private static boolean isSharedObjectName(UnixPath path) {
    return path.nameEndsWith(".so") || path.toString().contains(".so.");
  }

  private static boolean hasCodeSuffix(UnixPath path) {
    for (String suffix : CODE_SUFFIXES) {
      if (path.nameEndsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasComponent(UnixPath path, String name) {
    for (byte[] component : path.components()) {
      if (java.util.Arrays.equals(component, name.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
        return true;
      }
    }
    return false;
  }

  private static boolean below(UnixPath path, List<UnixPath> trees) {
    for (UnixPath tree : trees) {
      if (path.isSameOrBelow(tree)) {
        return true;
      }
    }
    return false;
  }

  private static List<UnixPath> paths(String... paths) {
    return java.util.Arrays.stream(paths).map(UnixPath::of).toList();
  }
}
