package io.minify.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.digest.Digest;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import io.minify.pack.LayerTarWriter;
import io.minify.packages.PackageDatabaseTrimmer;
import io.minify.packages.TrimmedPackageDatabase;
import io.minify.path.UnixPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffAnalysisTest {
  @TempDir
  Path dir;

  private static final Digest A_ID = Digest.parse("sha256:" + "a".repeat(64));
  private static final Digest B_ID = Digest.parse("sha256:" + "b".repeat(64));
  private static final Set<UnixPath> KEPT = paths("/usr", "/usr/bin", "/bin", "/usr/bin/tool", "/srv", "/srv/run");

  /** A and a slim B made the way a build makes it: the keep set plus the trimmed database, one layer. */
  private ImageDiff diff(WhyKept why) throws Exception {
    SavedImage saved = SyntheticImage.saved(dir);
    try (LayeredImageFilesystem a = SyntheticImage.open(saved)) {
      TrimmedPackageDatabase db = PackageDatabaseTrimmer.trim(a, KEPT).orElseThrow();
      Path slimLayer = dir.resolve("slim.tar");
      new LayerTarWriter(a).write(db.layerPaths(KEPT), db.replacedContents(), slimLayer);
      try (LayeredImageFilesystem b = LayeredImageFilesystem.open(List.of(slimLayer))) {
        long layersA = Files.size(saved.layers().get(0)) + Files.size(saved.layers().get(1));
        ImageDiff.Side sideA = new ImageDiff.Side("synthetic:1", "engine", A_ID, layersA, a.contentBytes(),
            a.entries().size(), a.entries().stream().filter(e -> e.hasContent()).count());
        ImageDiff.Side sideB = new ImageDiff.Side("synthetic.slim:1", "engine", B_ID, Files.size(slimLayer),
            b.contentBytes(), b.entries().size(), b.entries().stream().filter(e -> e.hasContent()).count());
        return new DiffAnalysis(3).analyse(sideA, a, sideB, b, why);
      }
    }
  }

  @Test
  void theTotalsAddUp() throws Exception {
    ImageDiff d = diff(WhyKept.none());
    assertEquals(d.a().contentBytes(), d.kept().bytesInA() + d.dropped().bytes());
    assertEquals(d.b().contentBytes(), d.kept().bytesInB() + d.added().bytes());
    assertEquals(d.a().entries(), d.kept().entries() + d.dropped().entries());
    assertEquals(d.b().entries(), d.kept().entries() + d.added().entries());
    assertEquals(0, d.added().entries(), "a slim image adds nothing");
    long perDirectoryA = d.byTopDirectory().stream().mapToLong(ImageDiff.DirectoryChange::bytesInA).sum();
    assertEquals(d.a().contentBytes(), perDirectoryA);
  }

  @Test
  void packagesAreKeptWholeInPartOrDropped() throws Exception {
    ImageDiff.PackageChanges p = diff(WhyKept.none()).packages();
    assertEquals("dpkg", p.manager());
    ImageDiff.PackageChange libc = p.list().get(0);
    ImageDiff.PackageChange tool = p.list().get(1);
    assertEquals(ImageDiff.PackageState.DROPPED, libc.state());
    assertEquals(ImageDiff.PackageState.KEPT_IN_PART, tool.state(), "the binary, not the README");
    assertEquals(1, tool.keptFiles());
    assertEquals(300, tool.keptBytes());
    assertEquals(0, p.keptWhole());
  }

  @Test
  void keptFilesCarryTheReportsReasonsAndDroppedTreesAreOutermost() throws Exception {
    WhyKept why = new WhyKept(Optional.of(B_ID), Map.of("/usr/bin/tool",
        new WhyKept.Reason("entrypoint", "CMD /srv/run"), "/srv/run", new WhyKept.Reason("observed", "")));
    ImageDiff d = diff(why);
    assertEquals("/usr/bin/tool", d.biggestKept().get(0).path());
    assertEquals("entrypoint", d.biggestKept().get(0).reason());
    assertEquals(List.of("/usr/lib", "/usr/share"),
        d.droppedTrees().stream().map(ImageXray.DirectoryTotal::path).filter(p -> p.startsWith("/usr")).toList());
    assertEquals("/usr/lib/libc.so.6", d.biggestDropped().get(0).path());
    ImageDiff.ReasonTotal first = d.keptByReason().get(0);
    assertEquals("entrypoint", first.reason());
    assertEquals(300, first.bytes());
  }

  @Test
  void theJsonIsTheGoldenFileByteForByte() throws Exception {
    WhyKept why = new WhyKept(Optional.of(B_ID),
        Map.of("/usr/bin/tool", new WhyKept.Reason("entrypoint", "CMD /srv/run")));
    XrayAnalysisTest.assertGolden("diff-golden.json", new AnalysisJson().toJson(diff(why)) + "\n");
  }

  private static Set<UnixPath> paths(String... paths) {
    Set<UnixPath> set = new TreeSet<>();
    for (String p : paths) {
      set.add(UnixPath.of(p));
    }
    return set;
  }
}
