package io.minify.image;

import io.minify.digest.Digest;
import io.minify.stream.ConcurrentDigestOutputStream;
import io.minify.stream.EveryByte;
import io.minify.stream.SingleByte;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Copies one file of a {@code docker save} archive to disk in a single pass that also hashes
 * it and, when it is a layer tar, indexes its entries: the layer is ready to be merged the
 * moment the save stream ends, instead of being hashed and scanned again afterwards.
 *
 * <p>Which files are layers is only known from manifest.json, which may come last, so every
 * file is treated as a possible layer: gzip is decompressed on the fly (Docker 25+ stores
 * compressed layers; the diff id and the layer file are of the uncompressed tar) and an
 * attempt is made to read it as a tar. Files that are not tars (the config, manifest.json)
 * simply get no index.
 */
final class EntrySpooler {
  private static final int BUFFER_BYTES = 1 << 16;

  /**
   * A spooled archive file.
   *
   * @param path       the file on disk (uncompressed when {@code gunzipped})
   * @param digest     of the bytes in {@code path}
   * @param gunzipped  whether the archive stored it gzip-compressed
   * @param gzipFailure why the gzip stream could not be decompressed, else null; the file
   *                   is then incomplete and must not be used as a layer
   * @param index      its entries when it reads as a tar, else null
   */
  record Spooled(Path path, Digest digest, boolean gunzipped, IOException gzipFailure, LayerIndex index) {}

  private EntrySpooler() {}

  /** Spools the rest of {@code entryData} (one archive entry's bytes) to {@code target}. */
  static Spooled spool(InputStream entryData, Path target) throws IOException {
    RecordingInputStream archive = new RecordingInputStream(entryData);
    BufferedInputStream peekable = new BufferedInputStream(archive, BUFFER_BYTES);
    peekable.mark(2);
    int b0 = peekable.read();
    int b1 = peekable.read();
    peekable.reset();
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    MessageDigest sha256 = Digest.Algorithm.SHA256.newHasher();
    IOException gzipFailure = null;
    List<LayerIndex.Entry> entries = null;
    long bytes = 0;
    // hashed on a second thread while this one reads, indexes and writes: the layer's bytes
    // arrive as fast as the engine sends them, and hashing them is as slow as all the rest
    try (OutputStream file = new ConcurrentDigestOutputStream(WorkFiles.create(target), sha256)) {
      TeeInputStream tee = null;
      try {
        // Inside the try: a bad gzip header fails here, and is a gzip failure like any other.
        InputStream source = gzip
            ? GzipCompressorInputStream.builder().setInputStream(peekable).setDecompressConcatenated(true).get()
            : peekable;
        tee = new TeeInputStream(source, file);
        try {
          entries = LayerIndex.read(tee);
        } catch (IOException | RuntimeException e) {
          if (tee.failed()) {
            throw e; // the bytes could not be read or written: not a question of tar format
          }
          entries = null; // not a tar (config, manifest, VERSION)
        }
        tee.drain(); // tar padding after the end-of-archive marker, or the rest of a non-tar
      } catch (IOException e) {
        if (!gzip || archive.failure() != null || (tee != null && tee.writeFailed())) {
          throw e;
        }
        // Only the decompressor failed. That is an error only if this file is a layer, which
        // manifest.json decides later; skip the rest of the entry so the archive stays readable.
        gzipFailure = e;
        entries = null;
        peekable.transferTo(OutputStream.nullOutputStream());
      }
      bytes = tee == null ? 0 : tee.count();
    }
    return new Spooled(target, Digest.of(sha256), gzip, gzipFailure,
        entries == null ? null : new LayerIndex(entries, bytes));
  }

  /** Remembers a failure of the archive stream itself, to tell it apart from a gzip failure. */
  private static final class RecordingInputStream extends InputStream {
    private final InputStream in;
    private IOException failure;

    RecordingInputStream(InputStream in) {
      this.in = in;
    }

    IOException failure() {
      return failure;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      try {
        return in.read(buffer, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }

  /**
   * Every byte read through it is also written to {@code out} (which hashes it), and counted.
   * skip() reads too, so nothing the tar reader skips is missing from the copy or the digest.
   * Closing it closes neither side: the input belongs to the archive stream, the output to
   * spool().
   */
  private static final class TeeInputStream extends InputStream {
    private final InputStream in;
    private final OutputStream out;
    private final byte[] skipBuffer = new byte[BUFFER_BYTES];
    private long count;
    private boolean readFailed;
    private boolean writeFailed;

    TeeInputStream(InputStream in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    long count() {
      return count;
    }

    boolean failed() {
      return readFailed || writeFailed;
    }

    boolean writeFailed() {
      return writeFailed;
    }

    @Override
    public int read() throws IOException {
      return SingleByte.read(this);
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(buffer, off, len);
      } catch (IOException | RuntimeException e) {
        readFailed = true;
        throw e;
      }
      if (n > 0) {
        try {
          out.write(buffer, off, n);
        } catch (IOException e) {
          writeFailed = true;
          throw e;
        }
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return EveryByte.skip(this, skipBuffer, n);
    }

    /** Copies whatever is left of the input. */
    void drain() throws IOException {
      EveryByte.drain(this, skipBuffer);
    }
  }
}
