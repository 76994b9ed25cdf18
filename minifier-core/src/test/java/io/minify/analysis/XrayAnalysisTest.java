package io.minify.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.digest.Digest;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XrayAnalysisTest {
  @TempDir
  Path dir;

  private ImageXray xray() throws Exception {
    SavedImage saved = SyntheticImage.saved(dir);
    try (LayeredImageFilesystem fs = SyntheticImage.open(saved)) {
      return new XrayAnalysis(5).analyse("synthetic:1", "docker-archive",
          Digest.sha256Of(saved.config()), saved, fs);
    }
  }

  @Test
  void totalsAreTheLayersAndTheMergedView() throws Exception {
    ImageXray x = xray();
    long tarBytes = Files.size(dir.resolve("layer-000.tar")) + Files.size(dir.resolve("layer-001.tar"));
    assertEquals(tarBytes, x.totals().layerBytes(), "what docker save holds, byte for byte");
    assertEquals(List.of("ADD rootfs.tar /", "COPY app.py /srv/"),
        x.layers().stream().map(ImageXray.Layer::createdBy).toList(), "empty_layer history entries have no layer");
    // merged: tool 300 + libc 700 + README 22 + app.py (new) 22 + run 20 + status + 2 lists
    assertEquals(x.totals().contentBytes(), x.byKind().stream().mapToLong(ImageXray.KindTotal::bytes).sum(),
        "every byte has one kind");
    assertEquals(1, x.layers().get(1).whiteouts());
  }

  @Test
  void wasteIsWhatLaterLayersOverwriteOrDelete() throws Exception {
    ImageXray x = xray();
    long oldApp = "print('hello')\n".length();
    assertEquals(oldApp, x.efficiency().overwrittenBytes());
    assertEquals(1000, x.efficiency().deletedBytes());
    assertEquals(1000 + oldApp, x.layers().get(0).wastedBytes());
    assertEquals(0, x.layers().get(1).wastedBytes());
    long inLayers = x.layers().stream().mapToLong(ImageXray.Layer::contentBytes).sum();
    assertEquals(inLayers - x.efficiency().wastedBytes(), x.totals().contentBytes(),
        "layer content = merged content + waste");
    assertEquals("/var/cache/big.bin", x.efficiency().wastedPaths().get(0).path());
  }

  @Test
  void kindsComeFromPathsAndFirstBytes() throws Exception {
    ImageXray x = xray();
    assertEquals(300, bytesOf(x, ContentKind.ELF_EXECUTABLE));
    assertEquals(700, bytesOf(x, ContentKind.ELF_LIBRARY));
    assertEquals("read me, nobody will\n".length(), bytesOf(x, ContentKind.DOCS_MAN_LOCALE));
    assertEquals("print('hello, world')\n".length() + "#!/bin/sh\nexec tool\n".length(),
        bytesOf(x, ContentKind.INTERPRETED_CODE));
    assertEquals(0, bytesOf(x, ContentKind.CACHE), "the cache file was deleted by the top layer");
  }

  @Test
  void packagesAreTheImagesOwnDatabase() throws Exception {
    ImageXray.Packages p = xray().packages();
    assertEquals("dpkg", p.manager());
    assertEquals(List.of("libc6", "tool"), p.list().stream().map(ImageXray.PackageRow::name).toList());
    ImageXray.PackageRow tool = p.list().get(1);
    assertEquals(4 * 1024, tool.installedBytes());
    assertEquals(2, tool.files(), "/bin/tool is /usr/bin/tool; the README; /bin is a link to a directory");
    assertEquals(300 + 21, tool.contentBytes());
    assertEquals(300 + 21 + 700, p.ownedBytes());
  }

  @Test
  void theJsonIsTheGoldenFileByteForByte() throws Exception {
    String json = new AnalysisJson().toJson(xray());
    assertGolden("xray-golden.json", json.replace(dir.toString(), "DIR") + "\n");
    assertEquals(json, new AnalysisJson().toJson(xray()), "same input, same bytes");
  }

  static long bytesOf(ImageXray x, ContentKind kind) {
    return x.byKind().stream().filter(k -> k.kind() == kind).findFirst().orElseThrow().bytes();
  }

  /**
   * Compares with a golden file; {@code -Dminify.golden.update=true} rewrites it instead
   * (then read the diff before committing it).
   */
  static void assertGolden(String name, String actual) throws IOException {
    if (Boolean.getBoolean("minify.golden.update")) {
      Files.writeString(Path.of("src/test/resources/io/minify/analysis", name), actual);
    }
    assertEquals(golden(name), actual);
  }

  static String golden(String name) throws IOException {
    try (InputStream in = XrayAnalysisTest.class.getResourceAsStream(name)) {
      return in == null ? "(missing " + name + ")" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
