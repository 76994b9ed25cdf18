package io.minify.packages;

import io.minify.image.ImageFilesystem;
import io.minify.path.UnixPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads dpkg's database of an image: {@code /var/lib/dpkg/status} for the installed packages
 * (control fields are text), {@code /var/lib/dpkg/info/NAME[:ARCH].list} for their paths (one
 * per line, bytes).
 */
final class DpkgDatabaseReader {
  private static final UnixPath STATUS = UnixPath.of("/var/lib/dpkg/status");
  private static final UnixPath INFO = UnixPath.of("/var/lib/dpkg/info");
  private static final long MAX_STATUS_BYTES = 64L << 20;
  private static final long MAX_LIST_BYTES = 64L << 20;

  private DpkgDatabaseReader() {}

  static Optional<PackageDatabase> read(ImageFilesystem fs) throws IOException {
    Optional<byte[]> status = PackageDatabase.readFile(fs, STATUS, MAX_STATUS_BYTES);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    List<InstalledPackage> installed = parseStatus(new String(status.get(), StandardCharsets.UTF_8));
    List<InstalledPackage> packages = new ArrayList<>();
    List<List<UnixPath>> listed = new ArrayList<>();
    for (InstalledPackage pkg : installed.stream().sorted().toList()) {
      Optional<byte[]> list = PackageDatabase.readFile(fs, INFO.child(pkg.qualifiedName() + ".list"), MAX_LIST_BYTES);
      if (list.isEmpty()) {
        list = PackageDatabase.readFile(fs, INFO.child(pkg.name() + ".list"), MAX_LIST_BYTES);
      }
      List<UnixPath> paths = new ArrayList<>();
      for (byte[] line : list.map(PackageDatabase::lines).orElse(List.of())) {
        if (line.length > 0 && line[0] == '/') {
          paths.add(UnixPath.ofBytes(line));
        }
      }
      packages.add(pkg);
      listed.add(paths);
    }
    if (packages.isEmpty()) {
      return Optional.empty();
    }
    // without any file list this is an inventory only: PackageDatabase.read leaves it out
    return Optional.of(PackageDatabase.index(PackageDatabase.Kind.DPKG, packages, listed, fs));
  }

  /** The packages whose Status is "... installed", from the paragraphs of a status file. */
  static List<InstalledPackage> parseStatus(String status) {
    return parseStanzas(status, false);
  }

  /**
   * The installed packages of control paragraphs. A stanza of distroless's status.d has no
   * Status line (the image builder installed it, it did not run dpkg): with
   * {@code statusOptional} such a stanza is installed; one that has a Status must still say so.
   */
  static List<InstalledPackage> parseStanzas(String text, boolean statusOptional) {
    List<InstalledPackage> packages = new ArrayList<>();
    for (String paragraph : text.split("\n\n")) {
      String name = null;
      String arch = "";
      String version = "";
      String state = null;
      long kib = 0;
      for (String line : paragraph.split("\n")) {
        int colon = line.indexOf(':');
        if (colon <= 0 || line.startsWith(" ")) {
          continue; // continuation lines of multi-line fields
        }
        String value = line.substring(colon + 1).trim();
        switch (line.substring(0, colon)) {
          case "Package" -> name = value;
          case "Architecture" -> arch = value;
          case "Version" -> version = value;
          case "Status" -> state = value;
          case "Installed-Size" -> {
            try {
              kib = Long.parseLong(value);
            } catch (NumberFormatException e) {
              kib = 0;
            }
          }
          default -> { }
        }
      }
      boolean installed = state == null ? statusOptional : state.endsWith(" installed");
      if (name != null && installed) {
        packages.add(new InstalledPackage(name, arch, version, kib * 1024));
      }
    }
    return packages;
  }
}
