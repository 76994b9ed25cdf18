package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.path.UnixPath;
import io.minify.tar.TarHeader;
import io.minify.tar.TarReader;
import io.minify.tar.TarWriter;
import io.minify.tar.Xattrs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An image holding what real Debian images hold and UTF-8 decoding breaks: a directory with
 * POSIX ACLs (as systemd's /var/log/journal has), a program with a file capability whose
 * bytes are >= 0x80 (cap_setuid), a file whose name is not UTF-8, plus a FIFO and a device
 * node the app opens. The image is made with {@code docker import}, which keeps the layer
 * bytes as given, like a debootstrap'd base image. Every one of those entries must come out
 * of minify byte-identical, the engine must load the slim image, and the slim app must run.
 */
class ByteExactEntriesIT extends RealEngineTest {
  private static final String IMAGE = "minify-it/byte-exact:1";
  private static final String SLIM = "minify-it/byte-exact.slim:1";
  /** cap_setuid+ep, VFS_CAP_REVISION_2: the permitted mask's first byte is 0x80. */
  private static final byte[] CAP_SETUID = {1, 0, 0, 2, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  /** user::rwx user:1000:r-x group::r-x mask::r-x other::--- (binary system.posix_acl_*). */
  private static final byte[] ACL = {2, 0, 0, 0, 1, 0, 7, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
      2, 0, 5, 0, (byte) 0xe8, 3, 0, 0, 4, 0, 5, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
      16, 0, 5, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 32, 0, 0, 0, (byte) 0xff, (byte) 0xff,
      (byte) 0xff, (byte) 0xff};
  private static final byte[] BAD_NAME = {'d', 'a', 't', 'a', '/', 'b', 'a', 'd', (byte) 0xff, '.', 't', 'x', 't'};
  private static final String APP = "#!/bin/sh\n"
      + "# opens every special entry, then idles\n"
      + "cat \"/data/bad$(printf '\\377').txt\" >/dev/null\n"
      + "/data/cap-true\n"
      + "exec 3<>/data/control\n"
      + "head -c 1 /data/zero >/dev/null\n"
      + "while :; do sleep 1; done\n";

  @BeforeAll
  static void buildImage() throws Exception {
    Path dir = Files.createTempDirectory("minify-it-bytes");
    try {
      Path rootfs = dir.resolve("rootfs.tar");
      String container = docker("create", "minify-base:bookworm").strip();
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(rootfs))) {
        Process export = new ProcessBuilder("docker", "export", container).redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        try (InputStream in = new BufferedInputStream(export.getInputStream())) {
          copyWithSpecialEntries(in, out);
        }
        assertEquals(0, export.waitFor(), "docker export");
      } finally {
        docker("rm", "-f", container);
      }
      docker("import", "--change", "CMD [\"/data/app.sh\"]", rootfs.toString(), IMAGE);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @AfterAll
  static void removeImages() {
    engine.images().removeImage(SLIM);
    engine.images().removeImage(IMAGE);
  }

  @Test
  void aclsCapabilitiesAndNamesThatAreNotUtf8ComeOutByteForByte() throws Exception {
    Path out = Files.createTempDirectory("minify-it-bytes-out");
    try {
      Path archive = out.resolve("slim.tar");
      Path report = out.resolve("report.json");
      CliRun run = CliRun.of("build", IMAGE, "--tag", SLIM, "--quiet", "--http-probe-off", "--continue-after",
          "timeout:3", "--include-shell", "--exec", "test -p /data/control && test -c /data/zero",
          // so that the special-files rule is what keeps the FIFO and the device, not app content
          "--no-keep-app-content", "--no-keep-listed-directories",
          "--output-tar", archive.toString(), "--report", report.toString(), "--work-dir", workRoot.toString());
      assertEquals(0, run.exitCode(), run.toString());
      Leftovers.assertNone(engine, workRoot);

      Map<UnixPath, SavedLayers.Member> original;
      try (InputStream saved = engine.images().saveImage(IMAGE)) {
        original = SavedLayers.lastLayer(saved);
      }
      Map<UnixPath, SavedLayers.Member> slim;
      try (InputStream in = Files.newInputStream(archive)) {
        slim = SavedLayers.lastLayer(in);
      }
      UnixPath bad = UnixPath.ofEntryName(BAD_NAME).orElseThrow();
      for (UnixPath path : List.of(UnixPath.of("/data"), bad, UnixPath.of("/data/cap-true"),
          UnixPath.of("/data/control"), UnixPath.of("/data/zero"))) {
        SavedLayers.Member before = original.get(path);
        SavedLayers.Member after = slim.get(path);
        assertNotNull(before, path + " is in the original layer");
        assertNotNull(after, path + " is in the slim layer: " + slim.keySet().stream().filter(
            p -> p.isBelow(UnixPath.of("/data"))).toList());
        assertEquals(before.header().typeFlag(), after.header().typeFlag(), path.toString());
        assertEquals(before.header().xattrs(), after.header().xattrs(), path + ": xattr names and values");
        assertEquals(before.header().devMajor(), after.header().devMajor(), path.toString());
        assertEquals(before.header().devMinor(), after.header().devMinor(), path.toString());
        assertArrayEquals(before.content(), after.content(), path.toString());
      }
      assertEquals(2, slim.get(UnixPath.of("/data")).header().xattrs().size(), "access and default ACL");
      assertArrayEquals(CAP_SETUID, slim.get(UnixPath.of("/data/cap-true")).header().xattrs().list().get(0).value());

      JsonNode reasons = new ObjectMapper().readTree(report.toFile()).get("kept");
      Map<String, String> reasonByPath = new HashMap<>();
      reasons.forEach(k -> reasonByPath.put(k.get("path").asText(), k.get("reason").asText()));
      assertEquals("observed", reasonByPath.get("/data/bad\\xff.txt"), "the report escapes the name");
      assertEquals("special_file", reasonByPath.get("/data/control"), "a FIFO the app opened");
      assertEquals("special_file", reasonByPath.get("/data/zero"), "a device node the app opened");
      // the engine took the slim archive and the app ran in it (the exec probe matched)
      assertTrue(engine.images().inspectImage(SLIM).isPresent());
    } finally {
      try (var files = Files.walk(out)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Copies an exported rootfs member by member and adds the special entries under /data. */
  private static void copyWithSpecialEntries(InputStream rootfs, OutputStream out) throws IOException {
    TarReader reader = new TarReader(rootfs);
    TarWriter writer = new TarWriter(out);
    byte[] trueProgram = null;
    TarHeader h;
    while ((h = reader.next()) != null) {
      byte[] content = reader.content().readAllBytes();
      if (new String(h.name(), StandardCharsets.UTF_8).equals("usr/bin/true")) {
        trueProgram = content;
      }
      writer.putEntry(new TarWriter.Member(h.name(), h.typeFlag(), h.mode(), h.uid(), h.gid(), content.length,
          h.mtimeEpochSeconds(), h.linkName(), h.devMajor(), h.devMinor(), h.xattrs()));
      writer.write(content, 0, content.length);
      writer.closeEntry(content.length);
    }
    assertNotNull(trueProgram, "the base has /usr/bin/true");
    long mtime = 1_700_000_000L;
    byte[] none = new byte[0];
    writer.putEntry(new TarWriter.Member(bytes("data/"), TarHeader.DIRECTORY, 0755, 0, 0, 0, mtime, none, 0, 0,
        Xattrs.builder().put(bytes("system.posix_acl_access"), ACL).put(bytes("system.posix_acl_default"), ACL).build()));
    writer.closeEntry(0);
    put(writer, BAD_NAME, 0644, "not UTF-8\n".getBytes(StandardCharsets.US_ASCII), Xattrs.NONE);
    put(writer, bytes("data/cap-true"), 0755, trueProgram,
        Xattrs.builder().put(bytes("security.capability"), CAP_SETUID).build());
    put(writer, bytes("data/app.sh"), 0755, APP.getBytes(StandardCharsets.US_ASCII), Xattrs.NONE);
    writer.putEntry(new TarWriter.Member(bytes("data/control"), TarHeader.FIFO, 0600, 0, 0, 0, mtime, none, 0, 0,
        Xattrs.NONE));
    writer.closeEntry(0);
    writer.putEntry(new TarWriter.Member(bytes("data/zero"), TarHeader.CHAR_DEVICE, 0666, 0, 0, 0, mtime, none, 1, 5,
        Xattrs.NONE));
    writer.closeEntry(0);
    writer.finish();
  }

  private static void put(TarWriter writer, byte[] name, int mode, byte[] content, Xattrs xattrs) throws IOException {
    writer.putEntry(new TarWriter.Member(name, TarHeader.REGULAR, mode, 0, 0, content.length, 1_700_000_000L,
        new byte[0], 0, 0, xattrs));
    writer.write(content, 0, content.length);
    writer.closeEntry(content.length);
  }

  private static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }

  private static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    p.getInputStream().transferTo(output);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "docker " + String.join(" ", args));
    String text = output.toString(StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "docker " + String.join(" ", args) + ": " + text);
    return text;
  }
}
