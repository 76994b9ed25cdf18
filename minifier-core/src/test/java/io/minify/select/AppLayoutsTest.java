package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.elf.SyntheticElf;
import io.minify.image.ImageConfig;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images whose runtime no package database owns (the official images' /usr/local and /opt
 * layouts, distroless, hardened images without /var/lib/dpkg): what the app owns is told by
 * other evidence, and each rule says which.
 */
class AppLayoutsTest {

  @TempDir
  Path dir;

  private static byte[] exe() {
    return "ELF".getBytes(StandardCharsets.UTF_8);
  }

  private static ImageConfig config(String workDir, String... command) {
    return new ImageConfig(List.of(), List.of(command), List.of("PATH=/usr/local/bin:/usr/bin:/bin"), "", workDir,
        List.of("8080/tcp"), List.of(), Map.of(), null);
  }

  private static AccessLog log(List<String> opened, List<String> executed) {
    TreeSet<UnixPath> files = new TreeSet<>();
    opened.forEach(p -> files.add(UnixPath.of(p)));
    TreeSet<UnixPath> exec = new TreeSet<>();
    executed.forEach(p -> exec.add(UnixPath.of(p)));
    return new AccessLog(files, new TreeSet<>(), exec, new TreeSet<>(), new TreeSet<>(List.of(0)), files.size());
  }

  private KeepSet select(TestLayer layer, ImageConfig config, AccessLog log) throws Exception {
    try (var fs = LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("layer.tar"))))) {
      return new KeepSetSelector(fs, config, KeepRules.none().withUnits(KeepUnit.defaults())).select(log);
    }
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }

  private static String detail(KeepSet keep, String path) {
    return keep.reasons().get(p(path)).detail();
  }

  /** A distroless Node image: node at /nodejs/bin/node, status.d stanzas without file lists, no shell. */
  private static TestLayer distrolessNode() throws java.io.IOException {
    return new TestLayer()
        .dir("nodejs").dir("nodejs/bin").file("nodejs/bin/node", exe(), 0755, Map.of())
        .dir("nodejs/lib").dir("nodejs/lib/node_modules").dir("nodejs/lib/node_modules/corepack")
        .file("nodejs/lib/node_modules/corepack/package.json", "{}")
        .dir("nodejs/include").file("nodejs/include/node.h", "#define NODE")
        .dir("var").dir("var/lib").dir("var/lib/dpkg").dir("var/lib/dpkg/status.d")
        .file("var/lib/dpkg/status.d/libc6", "Package: libc6\nVersion: 2.36\nArchitecture: amd64\n")
        .dir("app").file("app/server.js", "app.get('/x', () => require('iconv-lite'))")
        .file("app/package.json", "{\"name\":\"shop\",\"dependencies\":{\"express\":\"^4\",\"iconv-lite\":\"0.6\","
            + "\"missing-one\":\"1\"},\"devDependencies\":{\"mocha\":\"10\"}}")
        .dir("app/views").file("app/views/index.ejs", "<%= x %>").file("app/views/404.ejs", "<h1>Not here</h1>")
        .dir("app/.git").file("app/.git/HEAD", "ref")
        .dir("app/node_modules")
        .dir("app/node_modules/express").file("app/node_modules/express/index.js", "require('body-parser')")
        .file("app/node_modules/express/package.json", "{\"dependencies\":{\"body-parser\":\"1\"}}")
        .dir("app/node_modules/express/node_modules").dir("app/node_modules/express/node_modules/body-parser")
        .file("app/node_modules/express/node_modules/body-parser/package.json",
            "{\"dependencies\":{\"iconv-lite\":\"0.4\"}}")
        .file("app/node_modules/express/node_modules/body-parser/lazy.js", "x")
        .dir("app/node_modules/iconv-lite").file("app/node_modules/iconv-lite/package.json", "{}")
        .dir("app/node_modules/iconv-lite/encodings")
        .file("app/node_modules/iconv-lite/encodings/sbcs-data.js", "tables")
        .dir("app/node_modules/mocha").file("app/node_modules/mocha/package.json", "{}")
        .file("app/node_modules/mocha/index.js", "dev only");
  }

  @Test
  void aDistrolessNodeAppKeepsItsCodeRootItsDeclaredDependenciesAndItsRuntimeTree() throws Exception {
    KeepSet keep = select(distrolessNode(), config("/app", "/nodejs/bin/node", "server.js"),
        log(List.of("/app/server.js", "/app/views/index.ejs", "/app/node_modules/express/index.js"),
            List.of("/nodejs/bin/node")));
    // the 404 template, rendered only for a missing page
    assertEquals(Optional.of(KeepReason.APP_CONTENT), keep.reasonOf(p("/app/views/404.ejs")));
    assertEquals("app code root /app (WORKDIR, holds package.json)", detail(keep, "/app/views/404.ejs"));
    assertFalse(keep.contains(p("/app/.git/HEAD")), "version control is not the app");
    // a dependency required inside a route handler, and what a dependency needs in turn
    assertEquals("node package /app/node_modules/iconv-lite, a dependency in /app/package.json",
        detail(keep, "/app/node_modules/iconv-lite/encodings/sbcs-data.js"));
    assertEquals(Optional.of(KeepReason.CODE_UNIT),
        keep.reasonOf(p("/app/node_modules/express/node_modules/body-parser/lazy.js")));
    assertFalse(keep.contains(p("/app/node_modules/mocha/index.js")), "development dependencies are not");
    assertTrue(FoundLines.of(keep).get(KeepUnit.CODE_UNITS).contains("node dependencies of /app/package.json: 3 named, 2"
        + " installed (not installed: missing-one)"), FoundLines.of(keep).toString());
    // express's index.js requires body-parser, whose package.json names no entry point: kept whole, and says so
    assertTrue(FoundLines.of(keep).get(KeepUnit.CODE_UNITS).contains("node package"
        + " /app/node_modules/express/node_modules/body-parser, required by /app/node_modules/express/index.js: whole"
        + " (package.json names no main or exports, and the app loaded none of its files), 2 files, 38 bytes"),
        FoundLines.of(keep).toString());
    // the runtime's tree, as its package would be kept: not its headers
    assertEquals("runtime tree /nodejs of /nodejs/bin/node",
        detail(keep, "/nodejs/lib/node_modules/corepack/package.json"));
    assertFalse(keep.contains(p("/nodejs/include/node.h")));
    assertTrue(FoundLines.of(keep).get(KeepUnit.APP_CONTENT).contains(
        "told apart without a package database: what lies outside the system trees is the app's"));
    // newer distroless images list each package's files in status.d/NAME.md5sums
    KeepSet listed = select(distrolessNode().dir("lib").file("lib/libc.so.6", "libc")
            .file("var/lib/dpkg/status.d/libc6.md5sums", "0123456789abcdef  lib/libc.so.6\n"),
        config("/app", "/nodejs/bin/node", "server.js"), log(List.of("/app/server.js"), List.of("/nodejs/bin/node")));
    assertTrue(FoundLines.of(listed).get(KeepUnit.APP_CONTENT).contains("told apart by the image's dpkg status.d database"),
        FoundLines.of(listed).toString());
    assertEquals(Optional.of(KeepReason.APP_CONTENT), listed.reasonOf(p("/app/views/404.ejs")));
  }

  /** The official python image layout: CPython under /usr/local, a Django project beside its app package. */
  private static TestLayer djangoOnUsrLocal() throws java.io.IOException {
    return new TestLayer()
        .dir("usr").dir("usr/local").dir("usr/local/bin").file("usr/local/bin/python3.11", exe(), 0755, Map.of())
        .dir("usr/local/lib").dir("usr/local/lib/python3.11").file("usr/local/lib/python3.11/os.py", "import sys\n")
        .file("usr/local/lib/python3.11/csv.py", "x").dir("usr/local/lib/python3.11/site-packages")
        .dir("usr/local/lib/python3.11/site-packages/django")
        .file("usr/local/lib/python3.11/site-packages/django/__init__.py", "x")
        .dir("usr/local/lib/python3.11/site-packages/Django-3.2.19.dist-info")
        .file("usr/local/lib/python3.11/site-packages/Django-3.2.19.dist-info/top_level.txt", "django\n")
        .dir("usr/local/lib/python3.11/site-packages/requests")
        .file("usr/local/lib/python3.11/site-packages/requests/__init__.py", "x")
        .dir("usr/local/lib/python3.11/site-packages/requests-2.28.1.dist-info")
        .file("usr/local/lib/python3.11/site-packages/requests-2.28.1.dist-info/RECORD",
            "requests/__init__.py,sha256=x,1\nrequests-2.28.1.dist-info/RECORD,,\n")
        .dir("usr/local/lib/python3.11/site-packages/unrelated")
        .file("usr/local/lib/python3.11/site-packages/unrelated/__init__.py", "x")
        .dir("app").file("app/manage.py", "#!/usr/bin/env python\n")
        .file("app/requirements.txt", "# pinned\nDjango>=3.2\nrequests[security] == 2.28.1 ; python_version > '3'\n"
            + "-r other.txt\n")
        .dir("app/shelf").file("app/shelf/views.py", "def index(r):\n    return 1\n")
        .dir("app/templates").file("app/templates/404.html", "<h1>Not found</h1>")
        .dir("app/shelf/__pycache__").file("app/shelf/__pycache__/views.cpython-311.pyc", "bytecode");
  }

  @Test
  void aDjangoProjectIsOneCodeRootAndItsRequirementsAreKept() throws Exception {
    KeepSet keep = select(djangoOnUsrLocal(), config("/app", "gunicorn", "bookshelf.wsgi"),
        log(List.of("/app/shelf/views.py", "/usr/local/lib/python3.11/os.py",
            "/usr/local/lib/python3.11/site-packages/django/__init__.py"), List.of("/usr/local/bin/python3.11")));
    assertEquals("app code root /app (WORKDIR, holds manage.py)", detail(keep, "/app/templates/404.html"));
    assertEquals(Optional.of(KeepReason.CODE_UNIT),
        keep.reasonOf(p("/usr/local/lib/python3.11/site-packages/requests/__init__.py")));
    assertTrue(detail(keep, "/usr/local/lib/python3.11/site-packages/requests/__init__.py")
        .startsWith("python distribution required by /app/requirements.txt"));
    assertFalse(keep.contains(p("/usr/local/lib/python3.11/site-packages/unrelated/__init__.py")));
    assertFalse(keep.contains(p("/app/shelf/__pycache__/views.cpython-311.pyc")), "bytecode caches are derived");
  }

  /** A hardened Ruby image: Debian's layout with /var/lib/dpkg deleted, gems locked by a Gemfile.lock. */
  private static TestLayer rubyWithoutDpkg() throws java.io.IOException {
    return new TestLayer()
        .dir("usr").dir("usr/bin").file("usr/bin/ruby3.1", exe(), 0755, Map.of())
        .dir("usr/lib").dir("usr/lib/ruby").dir("usr/lib/ruby/3.1.0").file("usr/lib/ruby/3.1.0/rubygems.rb", "x")
        .file("usr/lib/ruby/3.1.0/csv.rb", "x").file("usr/lib/ruby/3.1.0/yaml.rb", "require 'psych'\n")
        .file("usr/lib/ruby/3.1.0/psych.rb", "require 'psych.so'\n")
        .dir("usr/lib/x86_64-linux-gnu").dir("usr/lib/x86_64-linux-gnu/ruby")
        .dir("usr/lib/x86_64-linux-gnu/ruby/3.1.0").file("usr/lib/x86_64-linux-gnu/ruby/3.1.0/rbconfig.rb", "x")
        .file("usr/lib/x86_64-linux-gnu/ruby/3.1.0/psych.so", SyntheticElf.x86_64().build(), 0644, Map.of())
        .dir("usr/local").dir("usr/local/bundle").dir("usr/local/bundle/gems").dir("usr/local/bundle/specifications")
        .dir("usr/local/bundle/gems/sinatra-3.0.5").file("usr/local/bundle/gems/sinatra-3.0.5/lib.rb", "x")
        .file("usr/local/bundle/specifications/sinatra-3.0.5.gemspec", "spec")
        .dir("usr/local/bundle/gems/rspec-3.12.0").file("usr/local/bundle/gems/rspec-3.12.0/lib.rb", "x")
        .dir("srv").dir("srv/guestbook").file("srv/guestbook/config.ru", "get('/export') { require 'yaml' }\nrun App")
        .file("srv/guestbook/Gemfile.lock", "GEM\n  remote: x\n  specs:\n    sinatra (3.0.5)\n      rack (~> 2.2)\n"
            + "\nPLATFORMS\n  ruby\n")
        .dir("srv/guestbook/views").file("srv/guestbook/views/not_found.erb", "<h1>gone</h1>")
        .dir("srv/guestbook/public").file("srv/guestbook/public/robots.txt", "User-agent: *");
  }

  @Test
  void withoutAPackageDatabaseTheProjectFilesMarkTheRootAndRubyKeepsItsExtensions() throws Exception {
    KeepSet keep = select(rubyWithoutDpkg(), config("", "/usr/bin/ruby3.1", "/srv/guestbook/config.ru"),
        log(List.of("/usr/lib/ruby/3.1.0/rubygems.rb", "/usr/lib/x86_64-linux-gnu/ruby/3.1.0/rbconfig.rb",
            "/srv/guestbook/config.ru"), List.of("/usr/bin/ruby3.1")));
    assertEquals(Optional.of(KeepReason.APP_CONTENT), keep.reasonOf(p("/srv/guestbook/views/not_found.erb")));
    assertEquals(Optional.of(KeepReason.APP_CONTENT), keep.reasonOf(p("/srv/guestbook/public/robots.txt")));
    assertEquals(Optional.of(KeepReason.STDLIB), keep.reasonOf(p("/usr/lib/x86_64-linux-gnu/ruby/3.1.0/psych.so")),
        "a handler's require 'yaml' loads psych.so from the extension directory");
    assertFalse(keep.contains(p("/usr/lib/ruby/3.1.0/csv.rb")), "nothing requires csv");
    assertEquals("ruby gem /usr/local/bundle/gems/sinatra-3.0.5, locked in /srv/guestbook/Gemfile.lock",
        detail(keep, "/usr/local/bundle/gems/sinatra-3.0.5/lib.rb"));
    assertTrue(keep.contains(p("/usr/local/bundle/specifications/sinatra-3.0.5.gemspec")));
    assertFalse(keep.contains(p("/usr/local/bundle/gems/rspec-3.12.0/lib.rb")), "not locked: not kept");
  }

  /** The official node image on Alpine: node under /usr/local (no package), the app in /usr/src/app. */
  private static TestLayer alpineNode() throws java.io.IOException {
    String installed = "P:musl\nV:1.2.4-r2\nA:x86_64\nF:lib\nR:ld-musl-x86_64.so.1\n\n"
        + "P:busybox\nV:1.36.1-r5\nA:x86_64\nF:bin\nR:busybox\n";
    return new TestLayer()
        .dir("lib").file("lib/ld-musl-x86_64.so.1", "musl").dir("bin").file("bin/busybox", "bb")
        .dir("lib/apk").dir("lib/apk/db").file("lib/apk/db/installed", installed)
        .dir("usr").dir("usr/local").dir("usr/local/bin").file("usr/local/bin/node", exe(), 0755, Map.of())
        .dir("usr/src").dir("usr/src/app").file("usr/src/app/package.json", "{\"dependencies\":{}}")
        .file("usr/src/app/server.js", "x").dir("usr/src/app/views").file("usr/src/app/views/404.ejs", "gone");
  }

  @Test
  void onAlpineTheApkDatabaseTellsTheSystemAndTheOfficialWorkdirIsTheCodeRoot() throws Exception {
    KeepSet keep = select(alpineNode(), config("/usr/src/app", "node", "server.js"),
        log(List.of("/usr/src/app/server.js"), List.of("/usr/local/bin/node")));
    assertEquals("app code root /usr/src/app (WORKDIR, holds package.json)", detail(keep, "/usr/src/app/views/404.ejs"));
    assertTrue(FoundLines.of(keep).get(KeepUnit.APP_CONTENT).contains("told apart by the image's apk database"),
        FoundLines.of(keep).toString());
    assertTrue(FoundLines.of(keep).get(KeepUnit.APP_PACKAGE).stream().noneMatch(f -> f.startsWith("runtime tree")),
        "/usr/local holds everything: never a runtime's tree");
  }

  /** A Fedora-style image: RPM's sqlite database, an app installed as a tree under /opt. */
  private static TestLayer fedoraApp() throws java.io.IOException {
    byte[] rpmdb;
    try (var in = AppLayoutsTest.class.getResourceAsStream("/packages/rpmdb/rpmdb.sqlite")) {
      rpmdb = in.readAllBytes();
    }
    return new TestLayer()
        .dir("usr").dir("usr/bin").dir("usr/lib").dir("usr/lib64").symlink("bin", "usr/bin").symlink("lib64", "usr/lib64")
        .file("usr/bin/bash", exe(), 0755, Map.of())
        .dir("usr/share").dir("usr/share/doc").dir("usr/share/doc/bash").file("usr/share/doc/bash/README", "r")
        .dir("opt").dir("opt/shop").dir("opt/shop/bin").file("opt/shop/bin/shop", exe(), 0755, Map.of())
        .dir("opt/shop/templates").file("opt/shop/templates/404.html", "gone")
        .dir("opt/shop/man").file("opt/shop/man/shop.1", "man page")
        .dir("var").dir("var/lib").dir("var/lib/rpm").file("var/lib/rpm/rpmdb.sqlite", rpmdb, 0644, Map.of());
  }

  @Test
  void onFedoraTheRpmDatabaseTellsTheSystemAndAnUnpackagedTreeUnderOptIsKeptLikeAPackage() throws Exception {
    KeepSet keep = select(fedoraApp(), config("", "/opt/shop/bin/shop"), log(List.of(), List.of("/opt/shop/bin/shop")));
    assertEquals("runtime tree /opt/shop of /opt/shop/bin/shop", detail(keep, "/opt/shop/templates/404.html"));
    assertFalse(keep.contains(p("/opt/shop/man/shop.1")));
    assertFalse(keep.contains(p("/usr/share/doc/bash/README")));
    assertTrue(FoundLines.of(keep).get(KeepUnit.APP_CONTENT).contains("told apart by the image's rpm database"),
        FoundLines.of(keep).toString());
  }

  /** The Temurin layout: a JRE copied to /opt/java/openjdk, a dpkg database that owns none of it. */
  private static TestLayer jreInOpt() throws java.io.IOException {
    TestLayer layer = new TestLayer()
        .dir("opt").dir("opt/java").dir("opt/java/openjdk").dir("opt/java/openjdk/bin")
        .file("opt/java/openjdk/bin/java", exe(), 0755, Map.of())
        .dir("opt/java/openjdk/lib").file("opt/java/openjdk/lib/modules", "jimage")
        .file("opt/java/openjdk/lib/libnet.so", SyntheticElf.x86_64().build(), 0644, Map.of())
        .file("opt/java/openjdk/lib/libawt_xawt.so", SyntheticElf.x86_64().needs("libX11.so.6").build(), 0644,
            Map.of())
        .file("opt/java/openjdk/lib/tzdb.dat", "zones")
        .dir("opt/java/openjdk/conf").dir("opt/java/openjdk/conf/security")
        .file("opt/java/openjdk/conf/security/java.security", "x")
        .dir("opt/java/openjdk/legal").file("opt/java/openjdk/legal/LICENSE", "GPL")
        .dir("app").file("app/app.jar", "PK").dir("app/config").file("app/config/application.properties", "x=1")
        .dir("usr").dir("usr/share").dir("usr/share/app").file("usr/share/app/package.json", "{}")
        .file("usr/share/app/unused.txt", "x")
        .dir("var").dir("var/lib").dir("var/lib/dpkg").dir("var/lib/dpkg/info")
        .file("var/lib/dpkg/status", "Package: base-files\nStatus: install ok installed\nArchitecture: amd64\n"
            + "Version: 12\n\n")
        .file("var/lib/dpkg/info/base-files.list", "/.\n/usr\n/usr/share\n");
    return layer;
  }

  @Test
  void aRuntimeTreeNoPackageOwnsIsKeptLikeAPackageAndTheJarsDirectoryIsTheCodeRoot() throws Exception {
    KeepSet keep = select(jreInOpt(), config("/", "java", "-jar", "/app/app.jar"),
        log(List.of("/opt/java/openjdk/lib/modules", "/app/app.jar", "/usr/share/app/package.json"),
            List.of("/opt/java/openjdk/bin/java")));
    assertEquals("runtime tree /opt/java/openjdk of /opt/java/openjdk/bin/java",
        detail(keep, "/opt/java/openjdk/lib/tzdb.dat"));
    assertTrue(keep.contains(p("/opt/java/openjdk/lib/libnet.so")));
    assertTrue(keep.contains(p("/opt/java/openjdk/conf/security/java.security")));
    assertFalse(keep.contains(p("/opt/java/openjdk/lib/libawt_xawt.so")), "it needs X11, which the app never loaded");
    assertFalse(keep.contains(p("/opt/java/openjdk/legal/LICENSE")));
    assertEquals("app code root /app (named by the command (/app/app.jar))",
        detail(keep, "/app/config/application.properties"));
    assertEquals("app content of /usr/share/app", detail(keep, "/usr/share/app/unused.txt"),
        "a system tree is never a code root; its unowned files next to one the app read are app content");
  }
}
