package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.ImageConfig;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A framework that resolves the real path of every file of its bundled assets (Mojolicious's
 * resources link into Debian's /usr/share/javascript) dies on a dangling link: a kept link
 * keeps what it points to.
 */
class LinkTargetsTest {
  @TempDir
  Path dir;

  private LayeredImageFilesystem image() throws Exception {
    TestLayer layer = new TestLayer()
        .dir("usr").dir("usr/share").dir("usr/share/javascript").dir("usr/share/javascript/jquery")
        .file("usr/share/javascript/jquery/jquery.min.js", "jq").file("usr/share/javascript/jquery/jquery.js", "jq")
        .dir("usr/share/javascript/bootstrap4").dir("usr/share/javascript/bootstrap4/css")
        .file("usr/share/javascript/bootstrap4/css/bootstrap.min.css", "bs")
        .file("usr/share/javascript/unused.js", "x")
        .dir("app").dir("app/node_modules").dir("app/node_modules/assets")
        .file("app/node_modules/assets/index.js", "serve()")
        .symlink("app/node_modules/assets/jquery.min.js", "/usr/share/javascript/jquery/jquery.min.js")
        .symlink("app/node_modules/assets/bootstrap", "../../../usr/share/javascript/bootstrap4")
        .symlink("app/node_modules/assets/everything", "/usr")
        .dir("preserved").symlink("preserved/link", "/usr/share/javascript/unused.js");
    return LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("layer.tar"))));
  }

  private KeepSet select(KeepRules rules) throws Exception {
    ImageConfig config = new ImageConfig(List.of(), List.of("node", "/app/index.js"), List.of("PATH=/usr/bin:/bin"),
        "", "", List.of(), List.of(), Map.of(), null);
    TreeSet<UnixPath> opened = new TreeSet<>(List.of(UnixPath.of("/app/node_modules/assets/index.js")));
    AccessLog log = new AccessLog(opened, new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), 1);
    try (var fs = image()) {
      return new KeepSetSelector(fs, config, rules).select(log);
    }
  }

  private static boolean kept(KeepSet keep, String path) {
    return keep.contains(UnixPath.of(path));
  }

  @Test
  void aLinkKeptWithItsPackageKeepsWhatItPointsTo() throws Exception {
    KeepSet keep = select(KeepRules.none().withUnits(EnumSet.of(KeepUnit.CODE_UNITS)));
    assertTrue(kept(keep, "/app/node_modules/assets/jquery.min.js"));
    assertEquals(Optional.of(KeepReason.LINK_TARGET),
        keep.reasonOf(UnixPath.of("/usr/share/javascript/jquery/jquery.min.js")));
    assertFalse(kept(keep, "/usr/share/javascript/jquery/jquery.js"), "a file target keeps that file only");
    assertEquals(Optional.of(KeepReason.LINK_TARGET),
        keep.reasonOf(UnixPath.of("/usr/share/javascript/bootstrap4/css/bootstrap.min.css")), "a directory whole");
    assertFalse(kept(keep, "/usr/share/javascript/unused.js"));
    assertTrue(kept(keep, "/app/node_modules/assets/everything"));
    assertFalse(kept(keep, "/usr/share/javascript/jquery/jquery.js"), "a link to /usr keeps no tree");
  }

  @Test
  void aPreservedTreeKeepsItsLinksAsTheyAre() throws Exception {
    KeepSet keep = select(KeepRules.none().withIncludes(List.of(IncludeRule.preserve("/preserved"))));
    assertTrue(kept(keep, "/preserved/link"));
    assertFalse(kept(keep, "/usr/share/javascript/unused.js"));
  }
}
