package io.minify.select;

import io.minify.packages.PackageDatabase;
import io.minify.path.UnixPath;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a path is the distribution's or the app's. With a package database with file
 * lists, a path is the distribution's when a package lists it. Without one (scratch,
 * distroless images whose status.d has no lists, hardened images that deleted it), the
 * operating system's trees stand in: what lies in {@code /usr/lib}, {@code /etc},
 * {@code /usr/local/lib}... is the distribution's or a runtime's, and everything else
 * ({@code /app}, {@code /srv}, {@code /data}, {@code /opt/<app>}, {@code /usr/src/app}) may be
 * the app's.
 */
record Ownership(Optional<PackageDatabase> database) {

  /** Trees of the system and of installed runtimes: never the app's own code root. */
  static final List<UnixPath> SYSTEM_TREES = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc",
      "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libexec", "/usr/share", "/usr/include",
      "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/usr/local/lib64", "/usr/local/share",
      "/usr/local/include", "/usr/local/etc", "/var/lib/dpkg", "/var/lib/apt", "/var/lib/rpm", "/var/cache", "/var/log",
      "/proc", "/sys", "/dev", "/run", "/boot", "/tmp", "/var/tmp", "/nix").stream().map(UnixPath::of).toList();

  /** Directories that hold many things, never one app's root themselves. */
  static final Set<UnixPath> TOO_WIDE = Set.copyOf(List.of("/", "/usr", "/usr/local", "/usr/src", "/usr/local/src",
      "/var", "/var/lib", "/var/www", "/opt", "/srv", "/home", "/root", "/mnt", "/media", "/data")
      .stream().map(UnixPath::of).toList());

  /** Whether {@code path} belongs to the distribution (or a runtime's tree, without a database). */
  boolean isSystem(UnixPath path) {
    if (database.isPresent()) {
      return database.get().isOwned(path);
    }
    return inSystemTree(path);
  }

  static boolean inSystemTree(UnixPath path) {
    return SYSTEM_TREES.stream().anyMatch(path::isSameOrBelow);
  }
}
