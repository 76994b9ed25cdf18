package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.path.UnixPath;
import io.minify.tar.TarHeader;
import io.minify.tar.TarReader;
import io.minify.tar.TarWriter;
import io.minify.tar.Xattrs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's hand-made odd images on a real engine, for what a build run as root on a shared
 * host must never get wrong: links that point out of the image are resolved inside it (the
 * host's files are right there for a build that follows them on the host), hardlinks with
 * absolute targets, which the engine accepts and runs, the setuid, setgid and sticky bits
 * the image's programs and directories rely on, and a layer entry that climbs out of the
 * image, which is bad input.
 */
class HostileImagesIT extends RealEngineTest {

  /** Made with {@code docker import}, which keeps the layer as written: absolute hardlink names stay. */
  private static final String LINKS_AND_MODES = "minify-it/links-and-modes:1";
  private static final byte[] LINKED = "bytes reached through an absolute hardlink\n".getBytes(StandardCharsets.UTF_8);
  private static final String APP = "#!/bin/sh\n"
      + "# opens what the tests look for in the slim image, then idles until stopped\n"
      + "cat /data/linked.txt >/dev/null\n"
      + "/data/mytrue\n"
      + "/data/suid-id -u >/dev/null\n"
      + "/data/sgid-id -g >/dev/null\n"
      + "cat /data/shared/note >/dev/null\n"
      + "trap 'exit 0' TERM\n"
      + "while :; do sleep 1; done\n";

  private static byte[] trueProgram;

  @BeforeAll
  static void importImage() throws Exception {
    Path dir = Files.createTempDirectory("minify-it-links");
    try {
      Path rootfs = dir.resolve("rootfs.tar");
      String container = DockerCli.run("create", "minify-base:bookworm").strip();
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(rootfs))) {
        Process export = new ProcessBuilder("docker", "export", container)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream in = new BufferedInputStream(export.getInputStream())) {
          copyWithLinksAndModes(in, out);
        }
        assertEquals(0, export.waitFor(), "docker export");
      } finally {
        DockerCli.run("rm", "-f", container);
      }
      DockerCli.run("import", "--change", "CMD [\"/data/app.sh\"]", rootfs.toString(), LINKS_AND_MODES);
    } finally {
      deleteTree(dir);
    }
    // what the engine holds is what the tests rely on: the layer's hardlink names are absolute
    Map<UnixPath, SavedLayers.Member> layer;
    try (InputStream saved = engine.images().saveImage(LINKS_AND_MODES)) {
      layer = SavedLayers.lastLayer(saved);
    }
    assertEquals("/data/original.txt", layer.get(UnixPath.of("/data/linked.txt")).header().displayLinkName());
    assertEquals("/usr/bin/true", layer.get(UnixPath.of("/data/mytrue")).header().displayLinkName());
  }

  @AfterAll
  static void removeImage() {
    TestImages.untag(LINKS_AND_MODES);
  }

  @Test
  void hardlinksWithAbsoluteTargetsAreResolvedInTheImageAndTheSlimImageRunsThem() throws Exception {
    String slim = "minify-it/links-and-modes.slim:hardlinks";
    try {
      CliRun run = build(LINKS_AND_MODES, slim);
      assertEquals(0, run.exitCode(), run.toString());
      assertEquals("", run.err().lines().filter(l -> l.startsWith("minify: ")).reduce("", String::concat),
          run.toString());
      Leftovers.assertNone(engine, workRoot);

      Map<UnixPath, SavedLayers.Member> layer;
      try (InputStream saved = engine.images().saveImage(slim)) {
        layer = SavedLayers.lastLayer(saved);
      }
      assertArrayEquals(LINKED, contentOf(layer, UnixPath.of("/data/linked.txt")), "a hardlink to a file of its layer");
      assertArrayEquals(trueProgram, contentOf(layer, UnixPath.of("/data/mytrue")), "a hardlink to a program of the base");
      // and the engine runs them as the app did: the same bytes, the program starts
      assertEquals(new String(LINKED, StandardCharsets.UTF_8),
          DockerCli.run("run", "--rm", "--pull", "never", "--entrypoint", "cat", slim, "/data/linked.txt"));
      DockerCli.run("run", "--rm", "--pull", "never", "--entrypoint", "/data/mytrue", slim);
    } finally {
      TestImages.untag(slim);
    }
  }

  @Test
  void setuidSetgidAndStickyBitsSurviveAndStillTakeEffect() throws Exception {
    String slim = "minify-it/links-and-modes.slim:modes";
    try {
      CliRun run = build(LINKS_AND_MODES, slim);
      assertEquals(0, run.exitCode(), run.toString());
      Leftovers.assertNone(engine, workRoot);

      Map<UnixPath, SavedLayers.Member> layer;
      try (InputStream saved = engine.images().saveImage(slim)) {
        layer = SavedLayers.lastLayer(saved);
      }
      assertEquals(04755, layer.get(UnixPath.of("/data/suid-id")).header().mode() & 07777, "setuid");
      assertEquals(02755, layer.get(UnixPath.of("/data/sgid-id")).header().mode() & 07777, "setgid");
      assertEquals(01777, layer.get(UnixPath.of("/data/shared")).header().mode() & 07777, "sticky");
      // run as nobody, the programs still run with the file owner's ids: in the original first
      // (so that a host whose engine ignores setuid cannot make this pass), then in the slim image
      for (String image : List.of(LINKS_AND_MODES, slim)) {
        assertEquals("0", runAsNobody(image, "/data/suid-id", "-u"), image + ": effective uid of a setuid program");
        assertEquals("0", runAsNobody(image, "/data/sgid-id", "-g"), image + ": effective gid of a setgid program");
      }
    } finally {
      TestImages.untag(slim);
    }
  }

  @Test
  void symlinksOutOfTheImageKeepTheImagesOwnTargetsAndNeverAHostFile() throws Exception {
    // a host directory with a secret at a path the image also has (with its own content), and
    // one at a path the image does not have: a build that resolves the image's links on the
    // host (through /proc/<pid>/root, say) reads the secret
    Path host = Files.createTempDirectory("minify-it-host-");
    String secret = "host secret " + UUID.randomUUID();
    Files.writeString(host.resolve("own"), secret + "\n");
    Files.writeString(host.resolve("host-only"), secret + "\n");
    // more ".." than any path is deep: in the image they stop at its root, on the host at the host's
    String up = ".." + "/..".repeat(15);
    String image = "minify-it/host-links:1";
    String slim = "minify-it/host-links.slim:1";
    String h = host.toString();
    TestImages.build(image, "FROM minify-base:bookworm\n"
        + "RUN mkdir -p " + h + " /srv/app/conf && echo image-own > " + h + "/own"
        + " && ln -s " + h + "/own /etc/leak-own && ln -s " + h + "/host-only /etc/leak-host-only"
        + " && ln -s " + up + h + "/own /srv/app/conf/rel-own"
        + " && ln -s " + up + h + "/host-only /srv/app/conf/rel-host-only"
        + " && ln -s " + h + " /srv/app/dir-abs && ln -s " + up + h + " /srv/app/conf/dir-rel\n"
        + "CMD [\"sh\", \"-c\", \"cat /etc/leak-own /srv/app/conf/rel-own /srv/app/dir-abs/own /srv/app/conf/dir-rel/own;"
        + " cat /etc/leak-host-only /srv/app/conf/rel-host-only 2>/dev/null;"
        + " trap 'exit 0' TERM; while :; do sleep 1; done\"]\n");
    Path out = Files.createTempDirectory("minify-it-host-links-out");
    try {
      Path archive = out.resolve("slim.tar");
      // the links the app could not follow are asked for by name: they must be tried too
      CliRun run = build(image, slim, "--include-path", "/srv/app", "--include-path", "/etc/leak-host-only",
          "--allow-missing-includes", "--output-tar", archive.toString());
      assertEquals(0, run.exitCode(), run.toString());
      Leftovers.assertNone(engine, workRoot);

      byte[] marker = secret.getBytes(StandardCharsets.UTF_8);
      assertFalse(contains(Files.readAllBytes(archive), marker), "the host's secret is in --output-tar");
      try (InputStream saved = engine.images().saveImage(slim)) {
        assertFalse(contains(saved.readAllBytes(), marker), "the host's secret is in the slim image");
      }
      assertEquals("image-own\n".repeat(4), DockerCli.run("run", "--rm", "--pull", "never", "--entrypoint", "cat", slim,
          "/etc/leak-own", "/srv/app/conf/rel-own", "/srv/app/dir-abs/own", "/srv/app/conf/dir-rel/own"),
          "each link reaches the image's own file");
    } finally {
      TestImages.untag(slim);
      TestImages.untag(image);
      deleteTree(out);
      deleteTree(host);
    }
  }

  private CliRun build(String image, String slimTag, String... extra) {
    List<String> args = new ArrayList<>(List.of("build", image, "--tag", slimTag, "--http-probe-off",
        "--continue-after", "timeout:1", "--no-report", "--work-dir", workRoot.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** What {@code id OPTION} prints in a container of {@code image} run as nobody. */
  private static String runAsNobody(String image, String program, String option) throws Exception {
    return DockerCli.run("run", "--rm", "--pull", "never", "--user", "65534:65534", "--entrypoint", program, image,
        option).strip();
  }

  /** The bytes at {@code path}, through hardlinks (whose names may be absolute or not). */
  private static byte[] contentOf(Map<UnixPath, SavedLayers.Member> layer, UnixPath path) {
    SavedLayers.Member m = layer.get(path);
    assertNotNull(m, path + " is in the slim layer");
    for (int hops = 0; m.header().typeFlag() == TarHeader.HARDLINK; hops++) {
      assertTrue(hops < 8, path + ": a hardlink chain");
      UnixPath target = UnixPath.ofEntryName(m.header().linkName()).orElseThrow();
      m = layer.get(target);
      assertNotNull(m, path + " links to " + target + ", which the slim layer must hold");
    }
    assertTrue(m.header().isRegularFile(), path + " is a file");
    return m.content();
  }

  /** Copies an exported rootfs member by member and adds the linked and moded entries under /data. */
  private static void copyWithLinksAndModes(InputStream rootfs, OutputStream out) throws IOException {
    TarReader reader = new TarReader(rootfs);
    TarWriter writer = new TarWriter(out);
    byte[] idProgram = null;
    TarHeader h;
    while ((h = reader.next()) != null) {
      byte[] content = reader.content().readAllBytes();
      String name = new String(h.name(), StandardCharsets.UTF_8);
      if (name.equals("usr/bin/true")) {
        trueProgram = content;
      } else if (name.equals("usr/bin/id")) {
        idProgram = content;
      }
      writer.putEntry(new TarWriter.Member(h.name(), h.typeFlag(), h.mode(), h.uid(), h.gid(), content.length,
          h.mtimeEpochSeconds(), h.linkName(), h.devMajor(), h.devMinor(), h.xattrs()));
      writer.write(content, 0, content.length);
      writer.closeEntry(content.length);
    }
    assertNotNull(trueProgram, "the base has /usr/bin/true");
    assertNotNull(idProgram, "the base has /usr/bin/id");
    put(writer, "data/", TarHeader.DIRECTORY, 0755, new byte[0], "");
    put(writer, "data/original.txt", TarHeader.REGULAR, 0644, LINKED, "");
    // absolute link names, as some image builders write them
    put(writer, "data/linked.txt", TarHeader.HARDLINK, 0644, new byte[0], "/data/original.txt");
    put(writer, "data/mytrue", TarHeader.HARDLINK, 0755, new byte[0], "/usr/bin/true");
    put(writer, "data/suid-id", TarHeader.REGULAR, 04755, idProgram, "");
    put(writer, "data/sgid-id", TarHeader.REGULAR, 02755, idProgram, "");
    put(writer, "data/shared/", TarHeader.DIRECTORY, 01777, new byte[0], "");
    put(writer, "data/shared/note", TarHeader.REGULAR, 0644, "a note\n".getBytes(StandardCharsets.UTF_8), "");
    put(writer, "data/app.sh", TarHeader.REGULAR, 0755, APP.getBytes(StandardCharsets.UTF_8), "");
    writer.finish();
  }

  private static void put(TarWriter writer, String name, byte type, int mode, byte[] content, String linkName)
      throws IOException {
    writer.putEntry(new TarWriter.Member(name.getBytes(StandardCharsets.UTF_8), type, mode, 0, 0, content.length,
        1_700_000_000L, linkName.getBytes(StandardCharsets.UTF_8), 0, 0, Xattrs.NONE));
    writer.write(content, 0, content.length);
    writer.closeEntry(content.length);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    // ISO-8859-1 maps each byte to one char and back: a byte search, whatever the bytes are
    return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
