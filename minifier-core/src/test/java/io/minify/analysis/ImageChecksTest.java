package io.minify.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.analysis.ImageXray.Check;
import io.minify.digest.Digest;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.SavedImage;
import io.minify.image.TestLayer;
import io.minify.lint.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checklist items xray reads from an image: its user, package caches in layers, wasted layers. */
class ImageChecksTest {
  @TempDir
  Path dir;

  private List<Check> checks(String user, TestLayer... layers) throws Exception {
    List<Path> tars = new java.util.ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      tars.add(layers[i].writeTo(dir.resolve("layer-" + i + ".tar")));
    }
    List<Digest> ids = SyntheticImage.diffIds(tars);
    StringBuilder history = new StringBuilder();
    for (int i = 0; i < layers.length; i++) {
      history.append(i == 0 ? "" : ",").append("{\"created_by\":\"RUN step ").append(i).append("\"}");
    }
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{" + (user == null ? ""
        : "\"User\":\"" + user + "\"") + "},\"history\":[" + history + "],\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + String.join("\",\"", ids.stream().map(Digest::toString).toList()) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    SavedImage saved = new SavedImage(config, tars, ids, List.of("checks:1"), List.of());
    try (LayeredImageFilesystem fs = LayeredImageFilesystem.open(saved)) {
      return new XrayAnalysis(5).analyse("checks:1", "docker-archive", Digest.sha256Of(config), saved, fs).checks();
    }
  }

  private static TestLayer base() throws Exception {
    return new TestLayer().dir("app").file("app/run", "#!/bin/sh\n");
  }

  @Test
  void rootIsNoUserOrRootOrUidZero() throws Exception {
    for (String user : new String[] {null, "", "root", "0", "0:0", "root:staff"}) {
      List<Check> checks = checks(user, base());
      assertEquals(List.of("root-user"), checks.stream().map(Check::id).toList(), "User " + user);
      assertNull(checks.get(0).layer());
    }
    for (String user : new String[] {"app", "10001", "10001:0", "nobody:nogroup"}) {
      assertEquals(List.of(), checks(user, base()), "User " + user);
    }
  }

  @Test
  void packageCachesAreFoundInTheLayerThatHoldsThemEvenWhenALaterLayerDeletesThem() throws Exception {
    TestLayer apt = new TestLayer().dir("var").dir("var/lib").dir("var/lib/apt").dir("var/lib/apt/lists")
        .file("var/lib/apt/lists/lock", "")
        .file("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", new byte[4000],
            0644, Map.of())
        .dir("var/cache").dir("var/cache/apt").file("var/cache/apt/pkgcache.bin", new byte[1000], 0644, Map.of())
        .dir("var/cache/apt/archives").file("var/cache/apt/archives/curl_7.88_amd64.deb", new byte[500], 0644, Map.of());
    TestLayer pip = new TestLayer().dir("root").dir("root/.cache").dir("root/.cache/pip").dir("root/.cache/pip/http")
        .file("root/.cache/pip/http/a1", new byte[7000], 0644, Map.of())
        .dir("usr").dir("usr/lib").file("usr/lib/libfoo.so", new byte[300], 0644, Map.of());
    TestLayer cleanup = new TestLayer().dir("var").dir("var/lib").dir("var/lib/apt").opaque("var/lib/apt/lists");
    List<Check> checks = checks("app", base(), apt, pip, cleanup);
    List<Check> caches = checks.stream().filter(c -> c.id().equals("cache-in-layer")).toList();
    assertEquals(List.of(2, 1, 1), caches.stream().map(Check::layer).toList(), "largest first");
    assertEquals(List.of(7000L, 4000L, 1500L), caches.stream().map(Check::bytes).toList());
    assertTrue(caches.get(0).reason().contains("pip"), caches.get(0).reason());
    assertTrue(caches.get(1).reason().contains("apt package lists (1 files), left by: RUN step 1"),
        caches.get(1).reason());
    assertTrue(caches.get(1).fix().contains("rm -rf /var/lib/apt/lists/*"), caches.get(1).fix());
    assertEquals(Level.WARNING, caches.get(0).level());
    Check wasted = checks.stream().filter(c -> c.id().equals("wasted-in-layer")).findFirst().orElseThrow();
    assertEquals(1, wasted.layer());
    assertEquals(4000, wasted.bytes(), "the opaque directory hides the lists of layer 1");
    assertEquals(Level.INFO, wasted.level(), "below 1 MiB");
  }

  @Test
  void wastedLayersLargestFirstAndAWarningFromOneMebibyte() throws Exception {
    TestLayer big = new TestLayer().dir("build").file("build/big.o", new byte[(1 << 20) + 1], 0644, Map.of())
        .file("build/small.o", new byte[10], 0644, Map.of());
    TestLayer overwrite = new TestLayer().dir("app").file("app/run", "#!/bin/sh\nexec true\n");
    TestLayer delete = new TestLayer().dir("build").whiteout("build/big.o").whiteout("build/small.o");
    List<Check> checks = checks("app", base(), big, overwrite, delete);
    assertEquals(List.of("wasted-in-layer", "wasted-in-layer"), checks.stream().map(Check::id).toList());
    assertEquals(1, checks.get(0).layer());
    assertEquals((1 << 20) + 11, checks.get(0).bytes());
    assertEquals(Level.WARNING, checks.get(0).level());
    assertTrue(checks.get(0).reason().contains("(the most: /build/big.o)"), checks.get(0).reason());
    assertEquals(0, checks.get(1).layer());
    assertEquals("#!/bin/sh\n".length(), checks.get(1).bytes());
    assertEquals(Level.INFO, checks.get(1).level());
  }

  @Test
  void aCleanImageHasNoChecks() throws Exception {
    assertEquals(List.of(), checks("10001:10001", base(), new TestLayer().dir("etc").file("etc/app.conf", "a=1\n")));
  }
}
