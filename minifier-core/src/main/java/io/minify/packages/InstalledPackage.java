package io.minify.packages;

/**
 * One package the image's package manager lists as installed.
 *
 * @param name          package name ("libc6", "postgresql-15")
 * @param architecture  "amd64", "all", "x86_64"; "" when the database does not say
 * @param version       the installed version as the database writes it
 * @param installedBytes what the package says it occupies (dpkg: Installed-Size KiB x 1024,
 *                       apk: I:), 0 when unknown
 */
public record InstalledPackage(String name, String architecture, String version, long installedBytes)
    implements Comparable<InstalledPackage> {

  /** "libc6:amd64", the name dpkg uses for a package of a given architecture. */
  public String qualifiedName() {
    return architecture.isEmpty() ? name : name + ":" + architecture;
  }

  @Override
  public int compareTo(InstalledPackage other) {
    int byName = name.compareTo(other.name);
    return byName != 0 ? byName : architecture.compareTo(other.architecture);
  }
}
