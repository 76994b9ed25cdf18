package io.minify.analysis;

import java.util.Optional;
import io.minify.image.ImageReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.engine.ContainerEngine;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.image.FileEntry;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import io.minify.pack.DockerArchive;
import io.minify.pack.DockerArchiveValidator;
import io.minify.pack.DockerArchiveWriter;
import io.minify.pack.LayerBlob;
import io.minify.pack.LayerTarWriter;
import io.minify.pack.OciLayoutValidator;
import io.minify.pack.OciLayoutWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three ways in, and one clear line for each kind of bad input. */
class ImageOpenerTest {
  @TempDir
  Path dir;

  private static final Supplier<ContainerEngine> NO_ENGINE = () -> {
    throw new AssertionError("an archive or a layout is read without the engine");
  };

  /** A one-layer slim image of the synthetic one, written as both artifacts a build writes. */
  private List<String> writeArtifacts() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    SavedImage saved = SyntheticImage.saved(source);
    try (LayeredImageFilesystem fs = SyntheticImage.open(saved)) {
      List<String> paths = fs.entries().stream().filter(e -> !e.path().isRoot()).map(e -> e.path().toString()).toList();
      LayerBlob layer = new LayerTarWriter(fs).write(fs.entries().stream().map(FileEntry::path).toList(),
          dir.resolve("layer.tar"));
      DockerArchive archive = new DockerArchiveWriter().write(saved.config(), layer,
          Optional.of(ImageReference.parse("synthetic.slim:1")), dir.resolve("slim.tar"));
      new DockerArchiveValidator().requireValid(archive);
      new OciLayoutValidator().requireValid(new OciLayoutWriter().write(archive.config(), layer,
          Optional.of(ImageReference.parse("synthetic.slim:1")), dir.resolve("oci")));
      return paths;
    }
  }

  private Path work() throws Exception {
    return Files.createDirectories(dir.resolve("work"));
  }

  @Test
  void anArchiveAndALayoutOfTheSameImageReadTheSame() throws Exception {
    List<String> paths = writeArtifacts();
    try (ImageOpener opener = new ImageOpener(NO_ENGINE, work());
        OpenedImage archive = opener.open(ImageSource.parse(dir.resolve("slim.tar").toString()));
        OpenedImage layout = opener.open(ImageSource.parse("oci:" + dir.resolve("oci")))) {
      assertEquals(paths, archive.filesystem().entries().stream().map(e -> e.path().toString()).toList());
      assertEquals(paths, layout.filesystem().entries().stream().map(e -> e.path().toString()).toList());
      assertEquals(archive.imageId(), layout.imageId(), "the same config bytes");
      assertEquals(List.of("synthetic.slim:1"), layout.saved().repoTags());
    }
    try (Stream<Path> left = Files.list(dir.resolve("work"))) {
      assertEquals(0, left.count(), "closing an image deletes its scratch directory");
    }
  }

  @Test
  void sourcesAreToldByPrefixOrByWhatThePathIs() throws Exception {
    writeArtifacts();
    assertEquals(ImageSource.Kind.DOCKER_ARCHIVE, ImageSource.parse(dir.resolve("slim.tar").toString()).kind());
    assertEquals(ImageSource.Kind.OCI_LAYOUT, ImageSource.parse(dir.resolve("oci").toString()).kind());
    assertEquals(ImageSource.engine("app:1.0"), ImageSource.parse("app:1.0"));
    assertEquals(ImageSource.dockerArchive(Path.of("missing.tar")), ImageSource.parse("docker-archive:missing.tar"));
    assertEquals("'oci:' names no path after 'oci:'",
        assertThrows(IllegalArgumentException.class, () -> ImageSource.parse("oci:")).getMessage());
  }

  @Test
  void aTarThatIsNotAnImageIsBadInput() throws Exception {
    Path notAnImage = dir.resolve("plain.tar");
    new io.minify.image.TestLayer().file("hello.txt", "hi").writeTo(notAnImage);
    BuildException e = refused(ImageSource.parse(notAnImage.toString()));
    assertEquals("docker-archive '" + notAnImage + "': image archive has no manifest.json (expected `docker save`"
        + " output)", e.getMessage());
  }

  @Test
  void aFileThatIsNotATarIsBadInput() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.txt"), "not a tar at all, just some words\n".repeat(40));
    assertEquals(FailureKind.BAD_INPUT, refused(ImageSource.parse(text.toString())).kind());
  }

  @Test
  void aLayoutWithADamagedBlobIsBadInputNamingTheLayer() throws Exception {
    writeArtifacts();
    Path oci = dir.resolve("oci");
    Path blobs = oci.resolve("blobs/sha256");
    // the largest blob is the layer: change one byte of it
    Path layer;
    try (Stream<Path> all = Files.list(blobs)) {
      layer = all.max((x, y) -> Long.compare(x.toFile().length(), y.toFile().length())).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(layer);
    bytes[bytes.length - 1] ^= 1;
    Files.write(layer, bytes);
    BuildException e = refused(ImageSource.parse("oci:" + oci));
    assertTrue(e.getMessage().startsWith("OCI layout '" + oci + "': layer 0 of"), e.getMessage());
  }

  @Test
  void aDirectoryThatIsNotALayoutIsBadInput() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertEquals("OCI layout '" + empty + "': '" + empty + "' is not an OCI image layout: it has no oci-layout file",
        refused(ImageSource.parse(empty.toString())).getMessage());
  }

  @Test
  void aMissingArchiveIsBadInput() throws Exception {
    assertEquals("docker-archive 'nowhere.tar' is not a file",
        refused(ImageSource.parse("docker-archive:nowhere.tar")).getMessage());
  }

  private BuildException refused(ImageSource source) throws Exception {
    Path work = work();
    try (ImageOpener opener = new ImageOpener(NO_ENGINE, work)) {
      BuildException e = assertThrows(BuildException.class, () -> opener.open(source).close());
      assertEquals(FailureKind.BAD_INPUT, e.kind(), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), "one line");
      try (Stream<Path> left = Files.list(work)) {
        assertEquals(0, left.count(), "nothing left behind");
      }
      return e;
    }
  }

  @Test
  void sizesParseInDecimalAndBinaryUnits() {
    assertEquals(123456, ByteSize.parse("123456"));
    assertEquals(50_000_000, ByteSize.parse("50MB"));
    assertEquals(50L << 20, ByteSize.parse("50M"));
    assertEquals(3L << 29, ByteSize.parse("1.5GiB"));
    assertEquals(2000, ByteSize.parse("2kB"));
    assertEquals("'ten' is not a size (write e.g. 50MB, 1.5GiB or 123456)",
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("ten")).getMessage());
    assertEquals("93.5 MiB", ByteSize.format(98_041_856));
  }
}
