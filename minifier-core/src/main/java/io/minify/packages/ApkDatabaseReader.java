package io.minify.packages;

import io.minify.image.ImageFilesystem;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads Alpine's {@code /lib/apk/db/installed}: one paragraph per package, "P:" name, "V:"
 * version, "A:" architecture, "I:" installed bytes, then "F:" directories (relative to the
 * root) each followed by its "R:" files. Names stay bytes.
 */
final class ApkDatabaseReader {
  private static final UnixPath INSTALLED = UnixPath.of("/lib/apk/db/installed");
  private static final long MAX_BYTES = 256L << 20;

  private ApkDatabaseReader() {}

  static Optional<PackageDatabase> read(ImageFilesystem fs) throws IOException {
    Optional<byte[]> db = PackageDatabase.readFile(fs, INSTALLED, MAX_BYTES);
    if (db.isEmpty()) {
      return Optional.empty();
    }
    List<InstalledPackage> packages = new ArrayList<>();
    List<List<UnixPath>> listed = new ArrayList<>();
    String name = null;
    String version = "";
    String arch = "";
    long size = 0;
    List<UnixPath> paths = new ArrayList<>();
    UnixPath dir = UnixPath.ROOT;
    for (byte[] line : linesWithBlanks(db.get())) {
      if (line.length == 0) {
        if (name != null) {
          packages.add(new InstalledPackage(name, arch, version, size));
          listed.add(paths);
        }
        name = null;
        version = "";
        arch = "";
        size = 0;
        paths = new ArrayList<>();
        dir = UnixPath.ROOT;
        continue;
      }
      if (line.length < 2 || line[1] != ':') {
        continue;
      }
      byte[] value = Arrays.copyOfRange(line, 2, line.length);
      switch (line[0]) {
        case 'P' -> name = new String(value, StandardCharsets.UTF_8);
        case 'V' -> version = new String(value, StandardCharsets.UTF_8);
        case 'A' -> arch = new String(value, StandardCharsets.UTF_8);
        case 'I' -> {
          try {
            size = Long.parseLong(new String(value, StandardCharsets.US_ASCII).trim());
          } catch (NumberFormatException e) {
            size = 0;
          }
        }
        case 'F' -> {
          dir = UnixPath.ofEntryName(value).orElse(UnixPath.ROOT);
          paths.add(dir);
        }
        case 'R' -> {
          Optional<UnixPath> file = UnixPath.ofEntryName(value);
          if (file.isPresent() && file.get().depth() == 1) {
            paths.add(dir.child(file.get().name()));
          }
        }
        default -> { }
      }
    }
    if (name != null) {
      packages.add(new InstalledPackage(name, arch, version, size));
      listed.add(paths);
    }
    if (packages.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(PackageDatabase.index(PackageDatabase.Kind.APK, packages, listed, fs));
  }

  private static List<byte[]> linesWithBlanks(byte[] bytes) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        lines.add(Arrays.copyOfRange(bytes, start, i));
        start = i + 1;
      }
    }
    lines.add(new byte[0]);
    return lines;
  }
}
