package io.minify.tar;

import java.util.List;

/**
 * Where the data of a sparse file lies: the archive stores only the listed segments, one
 * after the other; everything between them reads as zero bytes.
 *
 * @param segments the stored segments in file order, not overlapping
 * @param realSize the size of the file (the last segment may end before it: a trailing hole)
 */
public record SparseMap(List<Segment> segments, long realSize) {

  /** {@code length} bytes of the file at {@code offset}, stored in the archive. */
  public record Segment(long offset, long length) {}

  public SparseMap {
    segments = List.copyOf(segments);
  }

  /** Bytes the archive stores for the file (the sum of the segment lengths). */
  public long storedBytes() {
    return segments.stream().mapToLong(Segment::length).sum();
  }
}
