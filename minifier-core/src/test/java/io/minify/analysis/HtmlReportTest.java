package io.minify.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.digest.Digest;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  @TempDir
  Path dir;

  private String page() throws Exception {
    SavedImage saved = SyntheticImage.saved(dir);
    try (LayeredImageFilesystem fs = SyntheticImage.open(saved)) {
      ImageXray x = new XrayAnalysis(5).analyse("synthetic:<1>", "docker-archive", Digest.sha256Of(saved.config()),
          saved, fs);
      return HtmlReport.xray(x, DirectoryTree.of(fs, 3));
    }
  }

  @Test
  void thePageIsSelfContainedAndDeterministic() throws Exception {
    String html = page();
    assertEquals(html, page());
    assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "nothing to fetch");
    assertFalse(html.contains("<script"), "no script needed");
    assertTrue(html.contains("<meta name=\"viewport\""), "readable on a phone");
    assertTrue(html.contains("synthetic:&lt;1&gt;") && !html.contains("synthetic:<1>"), "text is escaped");
    for (String table : new String[] {"layers", "kinds", "largest-files", "packages"}) {
      assertTrue(html.contains("<table id=\"" + table + "\">"), table);
    }
  }

  @Test
  void theTreemapsAreasAreProportionalToBytes() throws Exception {
    DirectoryTree tree;
    SavedImage saved = SyntheticImage.saved(dir);
    try (LayeredImageFilesystem fs = SyntheticImage.open(saved)) {
      tree = DirectoryTree.of(fs, 3);
      assertEquals(fs.contentBytes(), tree.bytes());
    }
    assertEquals(tree.bytes(), tree.children().stream().mapToLong(DirectoryTree::bytes).sum(),
        "no content directly in / here: the top level adds up");
    // the top-level rectangles fill the 1000 x 560 box in proportion to their bytes
    Matcher rect = Pattern.compile("<rect x=\"[^\"]+\" y=\"[^\"]+\" width=\"([^\"]+)\" height=\"([^\"]+)\""
        + "[^>]*stroke-width=\"2\"><title>([^<]+)</title>").matcher(page());
    double area = 0;
    int count = 0;
    while (rect.find()) {
      area += Double.parseDouble(rect.group(1)) * Double.parseDouble(rect.group(2));
      count++;
    }
    assertEquals(tree.children().size(), count);
    assertEquals(1000 * 560, area, 1000 * 560 * 0.01);
  }
}
