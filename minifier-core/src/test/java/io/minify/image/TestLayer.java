package io.minify.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds synthetic layer tars for tests, entry by entry, in the order given. */
public final class TestLayer {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  public TestLayer() {
    tar = new TarArchiveOutputStream(bytes, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  public TestLayer dir(String name) throws IOException {
    return dir(name, 0755, 0, 0);
  }

  public TestLayer dir(String name, int mode, int uid, int gid) throws IOException {
    TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode);
    e.setIds(uid, gid);
    return put(e, null);
  }

  public TestLayer file(String name, String content) throws IOException {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644, Map.of());
  }

  public TestLayer file(String name, byte[] content, int mode, Map<String, String> xattrs) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode);
    e.setSize(content.length);
    xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
    return put(e, content);
  }

  public TestLayer symlink(String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
    e.setLinkName(target);
    return put(e, null);
  }

  public TestLayer hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
    e.setLinkName(target);
    return put(e, null);
  }

  public TestLayer charDevice(String name, int major, int minor) throws IOException {
    TarArchiveEntry e = entry(name, TarConstants.LF_CHR, 0666);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return put(e, null);
  }

  public TestLayer fifo(String name) throws IOException {
    return put(entry(name, TarConstants.LF_FIFO, 0644), null);
  }

  public TestLayer whiteout(String name) throws IOException {
    int slash = name.lastIndexOf('/');
    return file(name.substring(0, slash + 1) + ".wh." + name.substring(slash + 1), "");
  }

  public TestLayer opaque(String dir) throws IOException {
    return file(dir + "/.wh..wh..opq", "");
  }

  public byte[] bytes() throws IOException {
    tar.finish();
    return bytes.toByteArray();
  }

  public Path writeTo(Path file) throws IOException {
    Files.write(file, bytes());
    return file;
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes());
  }

  private TarArchiveEntry entry(String name, byte flag, int mode) {
    // preserveAbsolutePath: tests need names like "/etc/x" and "../x" to reach the parser verbatim.
    TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
    e.setMode(mode);
    e.setModTime(1_700_000_000_000L);
    e.setUserName("");
    e.setGroupName("");
    return e;
  }

  private TestLayer put(TarArchiveEntry e, byte[] content) throws IOException {
    tar.putArchiveEntry(e);
    if (content != null) {
      tar.write(content);
    }
    tar.closeArchiveEntry();
    return this;
  }
}
