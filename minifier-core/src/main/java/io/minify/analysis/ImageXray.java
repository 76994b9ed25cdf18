package io.minify.analysis;

import io.minify.digest.Digest;
import io.minify.lint.Level;
import java.util.List;

/**
 * What {@code minify xray} finds in one image; written as JSON in the order of the record
 * components, so the same image always gives the same bytes. Sizes are bytes; "content"
 * bytes are those of regular files (a hard link adds no bytes), "layer" bytes those of the
 * uncompressed layer tars, headers and padding included.
 *
 * @param image             the image as named on the command line
 * @param source            where it was read from: engine, docker-archive, oci-layout
 * @param imageId           the digest of its config
 * @param os                the config's os ("linux")
 * @param architecture      the config's architecture ("amd64")
 * @param totals            sizes and counts of the whole image
 * @param efficiency        bytes later layers overwrite or delete
 * @param layers            every layer, bottom first
 * @param byKind            content bytes per kind of file, in the order of {@link ContentKind}
 * @param byTopDirectory    content bytes below each top-level directory, by path
 * @param largestFiles      the largest regular files, largest first
 * @param largestDirectories the directories holding the most content bytes, largest first
 * @param packages          the installed OS packages, when the image has a dpkg or apk database
 * @param checks            the items of {@code minify lint}'s checklist the image alone can tell: root as the
 *                          user, package caches left in a layer, layers whose bytes later layers overwrite or delete
 */
public record ImageXray(String image, String source, Digest imageId, String os, String architecture, Totals totals,
    Efficiency efficiency, List<Layer> layers, List<KindTotal> byKind, List<DirectoryTotal> byTopDirectory,
    List<SizedPath> largestFiles, List<DirectoryTotal> largestDirectories, Packages packages, List<Check> checks) {

  public ImageXray {
    layers = List.copyOf(layers);
    byKind = List.copyOf(byKind);
    byTopDirectory = List.copyOf(byTopDirectory);
    largestFiles = List.copyOf(largestFiles);
    largestDirectories = List.copyOf(largestDirectories);
    checks = List.copyOf(checks);
  }

  /**
   * One finding about the image.
   *
   * @param id     {@code root-user}, {@code cache-in-layer} or {@code wasted-in-layer}
   * @param level  how much it matters, as in {@code minify lint}
   * @param layer  the layer it is about (0 = bottom); null when it is about the config
   * @param bytes  the bytes it costs (0 for the user)
   * @param reason what is wrong
   * @param fix    what to change in the Dockerfile
   */
  public record Check(String id, Level level, Integer layer, long bytes, String reason, String fix) {}

  /**
   * @param layerBytes   sum of the uncompressed layer tars' sizes: what {@code docker save} holds
   * @param layerEntries tar entries in all layers (whiteouts included)
   * @param contentBytes regular-file bytes of the merged filesystem
   * @param entries      entries of the merged filesystem
   * @param files        regular files and hard links of the merged filesystem
   * @param directories  directories of the merged filesystem
   * @param symlinks     symlinks of the merged filesystem
   * @param others       devices and FIFOs of the merged filesystem
   */
  public record Totals(long layerBytes, long layerEntries, long contentBytes, long entries, long files,
      long directories, long symlinks, long others) {}

  /**
   * @param score            merged content bytes / content bytes in all layers (1.0: nothing wasted)
   * @param wastedBytes      content bytes of layers that do not reach the merged filesystem
   * @param overwrittenBytes of those, the ones a later entry at the same path replaces
   * @param deletedBytes     of those, the ones a whiteout or an opaque directory removes
   * @param wastedPaths      the paths wasting most, most first
   */
  public record Efficiency(double score, long wastedBytes, long overwrittenBytes, long deletedBytes,
      List<WastedPath> wastedPaths) {
    public Efficiency {
      wastedPaths = List.copyOf(wastedPaths);
    }
  }

  /**
   * @param path        the path, as text (bytes that are not UTF-8 as \xHH)
   * @param wastedBytes its bytes in layers that do not reach the merged filesystem
   * @param layers      in how many layers it has content
   */
  public record WastedPath(String path, long wastedBytes, int layers) {}

  /**
   * @param index        0 = bottom
   * @param diffId       the digest of the uncompressed tar
   * @param createdBy    the history's created_by of this layer ("" when the image has no history)
   * @param bytes        size of the uncompressed tar
   * @param entries      tar entries
   * @param contentBytes regular-file bytes in the tar
   * @param whiteouts    whiteout and opaque-directory markers
   * @param wastedBytes  content bytes of this layer that later layers (or itself) overwrite or delete
   */
  public record Layer(int index, Digest diffId, String createdBy, long bytes, long entries, long contentBytes,
      long whiteouts, long wastedBytes) {}

  public record KindTotal(ContentKind kind, long files, long bytes) {}

  /** Content bytes and regular files at or below a directory. */
  public record DirectoryTotal(String path, long bytes, long files) {}

  public record SizedPath(String path, long bytes) {}

  /**
   * @param manager    "dpkg", "apk", or "" when the image has no package database with file lists
   * @param count      installed packages
   * @param ownedBytes content bytes of files some package lists
   * @param unownedBytes content bytes of files no package lists (the app, pip/npm installs, data)
   * @param list       every package, by name
   */
  public record Packages(String manager, int count, long ownedBytes, long unownedBytes, List<PackageRow> list) {
    public Packages {
      list = List.copyOf(list);
    }
  }

  /**
   * @param installedBytes what the database says (dpkg Installed-Size KiB x 1024, apk I:)
   * @param files          regular files and links of the image the package lists
   * @param contentBytes   regular-file bytes of those
   */
  public record PackageRow(String name, String version, String architecture, long installedBytes, long files,
      long contentBytes) {}
}
