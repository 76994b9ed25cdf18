package io.minify.pack;

/**
 * One place where a written image artifact (a docker-archive or an OCI image layout)
 * disagrees with itself: a reference and what it references, or a blob and the format it
 * must have. Found by {@link DockerArchiveValidator} and {@link OciLayoutValidator}.
 *
 * @param invariant what must hold
 * @param where     the file, blob or JSON field that breaks it ("manifest.json[0].Layers[1]",
 *                  "blobs/sha256/&lt;hex&gt;", "config rootfs.diff_ids[0]")
 * @param expected  what the referencing side or the format says
 * @param found     what is there
 */
public record ArtifactFinding(Invariant invariant, String where, String expected, String found) {

  /** What an artifact must satisfy; one constant per check, so a test names the one it breaks. */
  public enum Invariant {
    /** A file the format requires, or a blob or member that a reference names, is absent. */
    MISSING,
    /** A JSON document is not JSON, or a field is absent or of the wrong type or form. */
    MALFORMED,
    /** {@code oci-layout} names a layout version other than 1.0.0. */
    LAYOUT_VERSION,
    /** A descriptor's or document's media type is not one its place allows. */
    MEDIA_TYPE,
    /** A blob file or archive member that must be named by its digest is not. */
    BLOB_NAME,
    /** A descriptor's size is not the byte count of the blob it names. */
    SIZE,
    /** A digest (in a descriptor or a content-addressed name) is not the sha256 of the blob's bytes. */
    DIGEST,
    /** A config's {@code rootfs.diff_ids[i]} is not the sha256 of layer i's uncompressed tar. */
    DIFF_ID,
    /** The manifest lists another number of layers than the config's {@code rootfs.diff_ids}. */
    LAYER_COUNT,
    /** The config's history steps that made a layer (no {@code empty_layer}) do not match the layers. */
    HISTORY,
    /** A repo tag or {@code org.opencontainers.image.ref.name} is not a normalized repository:tag. */
    REFERENCE,
    /** A layer does not decompress, or does not read as a tar up to its end-of-archive marker. */
    LAYER_TAR,
    /** The docker-archive itself does not read as a tar up to its end-of-archive marker. */
    ARCHIVE_TAR,
    /** What the writer returned ({@link DockerArchive}, {@link OciLayout}) is not what it wrote. */
    WRITER_RECORD
  }

  @Override
  public String toString() {
    return invariant + " at " + where + ": expected " + expected + ", found " + found;
  }
}
