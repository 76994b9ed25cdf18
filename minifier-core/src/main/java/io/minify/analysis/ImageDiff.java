package io.minify.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import io.minify.analysis.ImageXray.DirectoryTotal;
import io.minify.analysis.ImageXray.SizedPath;
import io.minify.digest.Digest;
import java.util.List;

/**
 * What {@code minify diff A B} finds: typically A is an original image and B its slim copy.
 * Entries are compared by path; content bytes are those of regular files. The totals add
 * up: {@code a.contentBytes = kept.bytesInA + dropped.bytes} and
 * {@code b.contentBytes = kept.bytesInB + added.bytes}, and the same for entries.
 *
 * @param a                the first image
 * @param b                the second image
 * @param ratio            a.layerBytes / b.layerBytes, two decimals (0 when B is empty)
 * @param kept             paths in both
 * @param dropped          paths only in A
 * @param added            paths only in B
 * @param byTopDirectory   per top-level directory of either image, by path
 * @param packages         A's OS packages and how much of each B still has, by name
 * @param biggestKept      B's largest regular files that A has too, with why they were kept
 * @param biggestDropped   A's largest regular files B does not have
 * @param droppedTrees     A's largest directories B does not have at all (outermost only)
 * @param keptByReason     B's entries and bytes per reason of the minify report; empty without one
 */
public record ImageDiff(Side a, Side b, double ratio, Both kept, OneSide dropped, OneSide added,
    List<DirectoryChange> byTopDirectory, PackageChanges packages, List<KeptFile> biggestKept,
    List<SizedPath> biggestDropped, List<DirectoryTotal> droppedTrees, List<ReasonTotal> keptByReason) {

  public ImageDiff {
    byTopDirectory = List.copyOf(byTopDirectory);
    biggestKept = List.copyOf(biggestKept);
    biggestDropped = List.copyOf(biggestDropped);
    droppedTrees = List.copyOf(droppedTrees);
    keptByReason = List.copyOf(keptByReason);
  }

  public record Side(String image, String source, Digest imageId, long layerBytes, long contentBytes, long entries,
      long files) {}

  /** Paths in both images: their content bytes on each side. */
  public record Both(long entries, long bytesInA, long bytesInB) {}

  public record OneSide(long entries, long bytes) {}

  public record DirectoryChange(String path, long bytesInA, long bytesInB, long filesInA, long filesInB) {}

  /**
   * @param manager "dpkg", "apk", or "" when A has no package database
   * @param keptWhole packages whose files B all has
   * @param keptInPart packages B has some files of
   * @param dropped   packages B has no file of
   * @param list      every package of A, by name
   */
  public record PackageChanges(String manager, int keptWhole, int keptInPart, int dropped, List<PackageChange> list) {
    public PackageChanges {
      list = List.copyOf(list);
    }
  }

  /**
   * @param files      A's regular files and links the package lists
   * @param keptFiles  of those, the ones B has
   * @param bytes      their content bytes in A
   * @param keptBytes  content bytes of the kept ones, in B
   */
  public record PackageChange(String name, String version, PackageState state, long files, long keptFiles,
      long bytes, long keptBytes) {}

  /** How much of a package the second image still has. */
  public enum PackageState {
    KEPT_WHOLE("kept"), KEPT_IN_PART("partial"), DROPPED("dropped");

    private final String label;

    PackageState(String label) {
      this.label = label;
    }

    @JsonValue
    public String label() {
      return label;
    }
  }

  /** reason and detail are "" when no report was given or the report does not name the path. */
  public record KeptFile(String path, long bytes, String reason, String detail) {}

  public record ReasonTotal(String reason, long entries, long bytes) {}
}
