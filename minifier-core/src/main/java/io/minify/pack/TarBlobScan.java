package io.minify.pack;

import io.minify.tar.TarFormatException;
import io.minify.tar.TarHeader;
import io.minify.tar.TarReader;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One pass over a stored tar (a layer blob, possibly gzip-compressed, or a docker-archive):
 * the digest and size of the stored bytes, the digest of the uncompressed tar, and whether
 * that tar reads member by member with minify's own {@link TarReader} up to its
 * end-of-archive marker.
 */
final class TarBlobScan {
  private static final int BLOCK = 512;
  /** POSIX ends an archive with two zero blocks; Go's reader (the engine's) refuses one zero block then data. */
  private static final int END_MARKER = 2 * BLOCK;

  enum Compression { NONE, GZIP, DETECT }

  /**
   * @param storedDigest "sha256:&lt;hex&gt;" of the bytes as stored
   * @param storedSize   bytes as stored
   * @param tarDigest    "sha256:&lt;hex&gt;" of the uncompressed tar (what a diff id names); empty when
   *                     it could not be decompressed
   * @param problem      why it is not a tar read to its end marker; empty when it is one
   */
  record Result(String storedDigest, long storedSize, Optional<String> tarDigest, Optional<String> problem) {}

  private TarBlobScan() {}

  /** Reads {@code stored} to its end; {@code members} sees each member of the tar, in order. */
  static Result scan(InputStream stored, Compression compression, Consumer<TarHeader> members) throws IOException {
    ScannedStream storedBytes = new ScannedStream(stored);
    InputStream buffered = new BufferedInputStream(storedBytes, 1 << 16);
    boolean gzip = switch (compression) {
      case NONE -> false;
      case GZIP -> true;
      case DETECT -> startsWithGzipMagic(buffered);
    };
    Optional<String> problem;
    Optional<String> tarDigest = Optional.empty();
    try {
      ScannedStream tar = new ScannedStream(gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered);
      problem = tarProblem(tar, members);
      long end = tar.count();
      tar.drain();
      if (problem.isEmpty() && tar.nonZeroEnd() > end) {
        problem = Optional.of("data after the end-of-archive marker, up to byte " + tar.nonZeroEnd());
      }
      tarDigest = Optional.of(tar.digest());
    } catch (ZipException | EOFException e) {
      // GZIPInputStream's words for a stream that is not gzip, is cut short or corrupt
      problem = Optional.of("the gzip stream does not decompress: " + e.getMessage());
    }
    storedBytes.drain();
    return new Result(storedBytes.digest(), storedBytes.count(), tarDigest, problem);
  }

  private static Optional<String> tarProblem(ScannedStream in, Consumer<TarHeader> members) throws IOException {
    TarReader tar = new TarReader(in);
    long memberEnd = 0;
    try {
      for (TarHeader member; (member = tar.next()) != null; ) {
        members.accept(member);
        // read, not skipped, so a member cut short is found here and its end is known
        tar.content().transferTo(OutputStream.nullOutputStream());
        memberEnd = (tar.position() + BLOCK - 1) / BLOCK * BLOCK;
      }
    } catch (TarFormatException e) {
      return Optional.of(e.getMessage());
    }
    // the reader stops at the first zero block and reads one more; it does not look at that one
    if (tar.position() - memberEnd < END_MARKER || in.nonZeroEnd() > memberEnd) {
      return Optional.of("no end-of-archive marker (two zero blocks) after the last member, which ends at byte "
          + memberEnd + " of " + in.count());
    }
    return Optional.empty();
  }

  private static boolean startsWithGzipMagic(InputStream buffered) throws IOException {
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    return first == 0x1f && second == 0x8b;
  }
}
