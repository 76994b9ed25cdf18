package io.minify.analysis;

import io.minify.digest.Digest;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import io.minify.image.TestLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small Debian-like image in two layers, for the analysis tests: an ELF program and
 * library, docs, Python code, a cache, a dpkg database with two packages in a merged-/usr
 * layout, and a second layer that overwrites one file and deletes another.
 */
final class SyntheticImage {
  static final String STATUS = """
      Package: libc6
      Status: install ok installed
      Architecture: amd64
      Multi-Arch: same
      Version: 2.36-9
      Installed-Size: 12

      Package: tool
      Status: install ok installed
      Architecture: amd64
      Version: 1.0-1
      Installed-Size: 4
      Description: a tool
       with a continuation line

      """;

  private SyntheticImage() {}

  /** An ELF header of the given e_type (2 = executable, 3 = shared object), padded to {@code size}. */
  static byte[] elf(int type, int size) {
    byte[] bytes = new byte[size];
    bytes[0] = 0x7f;
    bytes[1] = 'E';
    bytes[2] = 'L';
    bytes[3] = 'F';
    bytes[4] = 2; // ELFCLASS64
    bytes[5] = 1; // little-endian
    bytes[16] = (byte) type;
    return bytes;
  }

  static List<Path> layers(Path dir) throws IOException {
    TestLayer bottom = new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").symlink("bin", "usr/bin").symlink("lib", "usr/lib")
        .file("usr/bin/tool", elf(2, 300), 0755, Map.of())
        .file("usr/lib/libc.so.6", elf(3, 700), 0644, Map.of())
        .dir("usr/share").dir("usr/share/doc").dir("usr/share/doc/tool")
        .file("usr/share/doc/tool/README", "read me, nobody will\n")
        .dir("srv").file("srv/app.py", "print('hello')\n")
        .file("srv/run", "#!/bin/sh\nexec tool\n")
        .dir("var").dir("var/cache").file("var/cache/big.bin", new byte[1000], 0644, Map.of())
        .dir("var/lib").dir("var/lib/dpkg").dir("var/lib/dpkg/info")
        .file("var/lib/dpkg/status", STATUS)
        .file("var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib\n/lib/libc.so.6\n/usr\n/usr/share\n")
        .file("var/lib/dpkg/info/tool.list", "/.\n/bin\n/bin/tool\n/usr\n/usr/share\n/usr/share/doc\n"
            + "/usr/share/doc/tool\n/usr/share/doc/tool/README\n");
    TestLayer top = new TestLayer()
        .dir("srv").file("srv/app.py", "print('hello, world')\n")
        .dir("var").dir("var/cache").whiteout("var/cache/big.bin");
    return List.of(bottom.writeTo(dir.resolve("layer-000.tar")), top.writeTo(dir.resolve("layer-001.tar")));
  }

  static byte[] config(List<Path> layers) throws IOException {
    List<String> diffIds = diffIds(layers).stream().map(Digest::toString).toList();
    String json = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/srv/run\"]},"
        + "\"history\":[{\"created_by\":\"ADD rootfs.tar /\"},{\"created_by\":\"ENV A=b\",\"empty_layer\":true},"
        + "{\"created_by\":\"COPY app.py /srv/\"}],"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + String.join("\",\"", diffIds) + "\"]}}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static List<Digest> diffIds(List<Path> layers) throws IOException {
    List<Digest> ids = new ArrayList<>();
    for (Path layer : layers) {
      ids.add(Digest.sha256Of(Files.readAllBytes(layer)));
    }
    return ids;
  }

  static SavedImage saved(Path dir) throws IOException {
    List<Path> layers = layers(dir);
    return new SavedImage(config(layers), layers, diffIds(layers), List.of("synthetic:1"), List.of());
  }

  static LayeredImageFilesystem open(SavedImage saved) throws Exception {
    return LayeredImageFilesystem.open(saved);
  }
}
