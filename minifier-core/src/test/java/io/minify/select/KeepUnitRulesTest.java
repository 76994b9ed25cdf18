package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.ImageConfig;
import io.minify.image.LayeredImageFilesystem;
import io.minify.image.TestLayer;
import io.minify.path.UnixPath;
import io.minify.sensor.AccessLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each keep unit rule on a synthetic image that holds the layouts real images have: a
 * PostgreSQL data directory owned by postgres, Node packages with a lazily loaded
 * sub-directory, a Python distribution and standard library, a Debian package with plugins,
 * a PHP site with includes, a listed file directory, a FIFO, and a dpkg database saying who
 * owns what.
 */
class KeepUnitRulesTest {
  private static final int POSTGRES = 101;

  @TempDir
  Path dir;

  /** Packages and their paths, written as dpkg would: status paragraphs and info/NAME.list. */
  private static final Map<String, List<String>> PACKAGES = new LinkedHashMap<>();

  static {
    PACKAGES.put("postgresql-15", List.of("/.", "/usr", "/usr/lib", "/usr/lib/postgresql", "/usr/lib/postgresql/15",
        "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/15/bin/postgres", "/usr/lib/postgresql/15/lib",
        "/usr/lib/postgresql/15/lib/plpgsql.so", "/usr/lib/postgresql/15/lib/dict_snowball.so",
        "/usr/lib/postgresql/15/lib/llvmjit.so", "/usr/share",
        "/usr/share/postgresql", "/usr/share/postgresql/15", "/usr/share/postgresql/15/tsearch_data",
        "/usr/share/postgresql/15/tsearch_data/english.stop", "/usr/share/doc", "/usr/share/doc/postgresql-15",
        "/usr/share/doc/postgresql-15/copyright"));
    PACKAGES.put("libc6", List.of("/.", "/usr", "/usr/lib", "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6"));
    PACKAGES.put("nginx", List.of("/.", "/var", "/var/www", "/var/www/html", "/var/www/html/index.nginx.html",
        "/srv", "/srv/files", "/srv/files/packaged.txt"));
    PACKAGES.put("python3-flask", List.of("/.", "/usr", "/usr/lib", "/usr/lib/python3",
        "/usr/lib/python3/dist-packages", "/usr/lib/python3/dist-packages/flask",
        "/usr/lib/python3/dist-packages/flask/__init__.py", "/usr/lib/python3/dist-packages/flask/json",
        "/usr/lib/python3/dist-packages/flask/json/__init__.py",
        "/usr/lib/python3/dist-packages/Flask-2.2.2.egg-info",
        "/usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/top_level.txt"));
    PACKAGES.put("lighttpd", List.of("/.", "/etc", "/etc/lighttpd", "/etc/lighttpd/lighttpd.conf", "/usr",
        "/usr/share", "/usr/share/lighttpd", "/usr/share/lighttpd/create-mime.pl", "/var/www/html",
        "/usr/lib/cgi-bin"));
    PACKAGES.put("mariadb-server", List.of("/.", "/usr", "/usr/lib", "/usr/lib/mysql", "/usr/lib/mysql/plugin",
        "/usr/lib/mysql/plugin/ha_blackhole.so", "/usr/lib/mysql/plugin/ha_jit.so"));
    PACKAGES.put("tzdata", List.of("/.", "/usr", "/usr/share", "/usr/share/zoneinfo", "/usr/share/zoneinfo/Etc",
        "/usr/share/zoneinfo/Etc/UTC", "/usr/share/zoneinfo/America", "/usr/share/zoneinfo/America/New_York"));
    PACKAGES.put("libpython3.11-stdlib", List.of("/.", "/usr", "/usr/lib", "/usr/lib/python3.11",
        "/usr/lib/python3.11/os.py", "/usr/lib/python3.11/csv.py", "/usr/lib/python3.11/unused.py",
        "/usr/lib/python3.11/json", "/usr/lib/python3.11/json/__init__.py", "/usr/lib/python3.11/lib-dynload",
        "/usr/lib/python3.11/lib-dynload/_csv.cpython-311-x86_64-linux-gnu.so"));
  }

  private LayeredImageFilesystem image() throws Exception {
    TestLayer layer = new TestLayer()
        .dir("usr").dir("usr/lib").dir("usr/share").dir("var").dir("var/lib").dir("etc")
        .file("etc/passwd", "postgres:x:101:103::/var/lib/postgresql:/bin/bash\n")
        // PostgreSQL: binaries and plugins of postgresql-15, a data directory owned by postgres
        .dir("usr/lib/postgresql").dir("usr/lib/postgresql/15").dir("usr/lib/postgresql/15/bin")
        .dir("usr/lib/postgresql/15/lib")
        .file("usr/lib/postgresql/15/bin/postgres", "server")
        .file("usr/lib/postgresql/15/lib/plpgsql.so", "PLPGSQL")
        .file("usr/lib/postgresql/15/lib/dict_snowball.so", "SNOWBALL")
        .file("usr/lib/postgresql/15/lib/llvmjit.so", io.minify.elf.SyntheticElf.x86_64().needs("libLLVM-14.so.1")
            .build(), 0644, Map.of())
        .file("usr/lib/x86_64-linux-gnu/libLLVM-14.so.1", io.minify.elf.SyntheticElf.x86_64().build(), 0644, Map.of())
        .dir("usr/share/postgresql").dir("usr/share/postgresql/15").dir("usr/share/postgresql/15/tsearch_data")
        .file("usr/share/postgresql/15/tsearch_data/english.stop", "a\nthe\n")
        .dir("usr/share/doc").dir("usr/share/doc/postgresql-15").file("usr/share/doc/postgresql-15/copyright", "(c)")
        .dir("usr/lib/x86_64-linux-gnu")
        .file("usr/lib/x86_64-linux-gnu/libc.so.6", io.minify.elf.SyntheticElf.x86_64().build(), 0644, Map.of())
        .file("usr/lib/x86_64-linux-gnu/libm.so.6", "LIBM")
        .dir("var/lib/postgresql", 0755, POSTGRES, 103).dir("var/lib/postgresql/15", 0755, POSTGRES, 103)
        .dir("var/lib/postgresql/15/main", 0700, POSTGRES, 103)
        .dir("var/lib/postgresql/15/main/global", 0700, POSTGRES, 103)
        .file("var/lib/postgresql/15/main/PG_VERSION", "15\n")
        .file("var/lib/postgresql/15/main/global/1260", "catalog")
        .file("var/lib/postgresql/15/main/global/1262", "catalog")
        .dir("var/log").dir("var/log/app").file("var/log/app/old.log", "yesterday")
        // Node: body-parser needs iconv-lite, whose encodings/ is required on the first JSON body
        .dir("app").dir("app/node_modules").dir("app/node_modules/iconv-lite").dir("app/node_modules/iconv-lite/lib")
        .dir("app/node_modules/iconv-lite/encodings")
        .file("app/node_modules/iconv-lite/package.json", "{}")
        .file("app/node_modules/iconv-lite/lib/index.js", "require('../encodings')")
        .file("app/node_modules/iconv-lite/encodings/index.js", "module.exports={}")
        .dir("app/node_modules/iconv-lite/node_modules").dir("app/node_modules/iconv-lite/node_modules/nested")
        .file("app/node_modules/iconv-lite/node_modules/nested/index.js", "x")
        .dir("app/node_modules/@scope").dir("app/node_modules/@scope/pkg")
        .file("app/node_modules/@scope/pkg/index.js", "x").file("app/node_modules/@scope/pkg/extra.js", "x")
        .dir("app/node_modules/unused").file("app/node_modules/unused/index.js", "x")
        .file("app/server.js", "require('iconv-lite')").file("app/views.html", "<p>").dir("app/static")
        .file("app/static/site.css", "p{}")
        // Python: a distribution with its metadata, and a standard library imported lazily
        .dir("usr/lib/python3").dir("usr/lib/python3/dist-packages").dir("usr/lib/python3/dist-packages/flask")
        .dir("usr/lib/python3/dist-packages/flask/json")
        .file("usr/lib/python3/dist-packages/flask/__init__.py", "import json\nfrom . import json as flask_json\n")
        .file("usr/lib/python3/dist-packages/flask/testing.py", "x = 1\n")
        .file("usr/lib/python3/dist-packages/flask/json/__init__.py", "x = 1\n")
        .dir("usr/lib/python3/dist-packages/Flask-2.2.2.egg-info")
        .file("usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/top_level.txt", "flask\n")
        .dir("usr/lib/python3/dist-packages/yaml").file("usr/lib/python3/dist-packages/yaml/__init__.py", "x")
        .dir("usr/lib/python3.11").file("usr/lib/python3.11/os.py", "import sys\n")
        .file("usr/lib/python3.11/csv.py", "from _csv import reader\n").file("usr/lib/python3.11/unused.py", "x")
        .dir("usr/lib/python3.11/json").file("usr/lib/python3.11/json/__init__.py", "x")
        .dir("usr/lib/python3.11/lib-dynload")
        .file("usr/lib/python3.11/lib-dynload/_csv.cpython-311-x86_64-linux-gnu.so", "ELF-ish")
        .dir("srv").dir("srv/app").file("srv/app/main.py", "def route():\n    import csv\n    return csv\n")
        .file("srv/app/lazy.py", "def handler():\n    import yaml\n    return yaml\n")
        // PHP site: an include that only one route reads, next to a packaged file
        .dir("var/www").dir("var/www/html").file("var/www/html/index.nginx.html", "packaged")
        .dir("var/www/html/app").file("var/www/html/app/index.php", "<?php include 'inc/db.php';")
        .dir("var/www/html/app/inc").file("var/www/html/app/inc/db.php", "<?php")
        // a file server's directory, listed but not opened
        .dir("srv/files").file("srv/files/a.txt", "a").file("srv/files/b.txt", "b")
        .file("srv/files/packaged.txt", "p").dir("srv/files/sub").file("srv/files/sub/c.txt", "c")
        // special files next to a file the app uses
        .dir("data").file("data/used.txt", "u").fifo("data/control").charDevice("data/zero", 1, 5)
        .dir("unrelated").fifo("unrelated/pipe")
        .dir("var/log/web").symlink("var/log/web/access.log", "/dev/stdout").symlink("var/log/web/dangling", "gone")
        // a server's configuration names a password file, its CGI directory, and a directory of another package
        .dir("etc/lighttpd").file("etc/lighttpd/lighttpd.conf", "server.document-root = \"/srv/site\"\n"
            + "auth.backend.plain.userfile = \"/etc/lighttpd/users\"\nalias.url = ( \"/cgi-bin/\" => \"/usr/lib/cgi-bin/\" )\n"
            + "include_shell \"/usr/share/lighttpd/create-mime.pl\"\n# not a path: http://example.org/x and a/b\n"
            + "server.modules += ( \"/usr/lib/x86_64-linux-gnu\" )\nglob = \"/srv/files/*.txt\"\n")
        .file("etc/lighttpd/users", "admin:secret\n").dir("srv/site").dir("srv/site/css")
        .file("srv/site/index.html", "<p>").file("srv/site/css/site.css", "p{}")
        .dir("usr/share/lighttpd").file("usr/share/lighttpd/create-mime.pl", "#!/usr/bin/perl\n")
        .dir("usr/lib/cgi-bin").file("usr/lib/cgi-bin/echo.cgi", "#!/bin/sh\n")
        .file("usr/lib/cgi-bin/body.cgi", ("#!/bin/sh\necho Content-Type: text/plain; echo\n"
            + "if [ -n \"$CONTENT_LENGTH\" ]; then head -c \"$CONTENT_LENGTH\"; fi | /usr/bin/tr a-z A-Z\n"
            + "$UNKNOWN_TOOL --x\n").getBytes(StandardCharsets.UTF_8), 0755, Map.of())
        .dir("usr/bin").file("usr/bin/head", "ELF".getBytes(StandardCharsets.UTF_8), 0755, Map.of())
        .file("usr/bin/tr", "ELF".getBytes(StandardCharsets.UTF_8), 0755, Map.of())
        .file("usr/bin/echo", "ELF".getBytes(StandardCharsets.UTF_8), 0755, Map.of())
        .file("usr/bin/not-executable", "x".getBytes(StandardCharsets.UTF_8), 0644, Map.of())
        // a catalog the app picks one entry of
        .dir("usr/share/zoneinfo").dir("usr/share/zoneinfo/Etc").file("usr/share/zoneinfo/Etc/UTC", "TZif")
        .dir("usr/share/zoneinfo/America").file("usr/share/zoneinfo/America/New_York", "TZif")
        .dir("usr/lib/x86_64-linux-gnu/gconv").file("usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", "index")
        .file("usr/lib/x86_64-linux-gnu/gconv/ISO8859-1.so", io.minify.elf.SyntheticElf.x86_64().build(), 0644, Map.of())
        .symlink("etc/localtime", "/usr/share/zoneinfo/Etc/UTC")
        // a database's plugin directory: storage engines loaded by name on demand
        .dir("usr/lib/mysql").dir("usr/lib/mysql/plugin")
        .file("usr/lib/mysql/plugin/ha_blackhole.so", io.minify.elf.SyntheticElf.x86_64().needs("libc.so.6").build(),
            0644, Map.of())
        .file("usr/lib/mysql/plugin/ha_jit.so", io.minify.elf.SyntheticElf.x86_64().needs("libLLVM-14.so.1").build(),
            0644, Map.of());
    StringBuilder status = new StringBuilder();
    layer.dir("var/lib/dpkg").dir("var/lib/dpkg/info");
    for (var pkg : PACKAGES.entrySet()) {
      status.append("Package: ").append(pkg.getKey()).append("\nStatus: install ok installed\nArchitecture: amd64\n")
          .append("Version: 1\n\n");
      layer.file("var/lib/dpkg/info/" + pkg.getKey() + ".list", String.join("\n", pkg.getValue()) + "\n");
    }
    layer.file("var/lib/dpkg/status", status.toString());
    return LayeredImageFilesystem.open(List.of(layer.writeTo(dir.resolve("layer.tar"))));
  }

  private static ImageConfig config(String... command) {
    return new ImageConfig(List.of(), List.of(command), List.of("PATH=/usr/bin:/bin"), "", "",
        List.of("8080/tcp"), List.of(), Map.of(), null);
  }

  private static AccessLog log(List<String> files, List<String> dirs, List<String> written) {
    return new AccessLog(paths(files), paths(dirs), new TreeSet<>(), paths(written), new TreeSet<>(), files.size());
  }

  private KeepSet select(Set<KeepUnit> units, ImageConfig config, AccessLog log) throws Exception {
    try (var fs = image()) {
      return new KeepSetSelector(fs, config, KeepRules.none().withUnits(units)).select(log);
    }
  }

  private KeepSet select(KeepUnit unit, AccessLog log) throws Exception {
    return select(EnumSet.of(unit), config("/usr/lib/postgresql/15/bin/postgres"), log);
  }

  @Test
  void stateTreeOfAServiceUserIsKeptWhole() throws Exception {
    AccessLog log = log(List.of("/var/lib/postgresql/15/main/PG_VERSION"), List.of(), List.of());
    KeepSet keep = select(KeepUnit.STATE_TREES, log);
    assertEquals(Optional.of(KeepReason.STATE_TREE), keep.reasonOf(p("/var/lib/postgresql/15/main/global/1260")));
    assertEquals(Optional.of(KeepReason.STATE_TREE), keep.reasonOf(p("/var/lib/postgresql/15/main/global/1262")));
    assertEquals(Optional.of(KeepReason.SPECIAL_DIR), keep.reasonOf(p("/var/lib/postgresql")),
        "kept already as postgres's dir");
    assertTrue(FoundLines.of(keep).get(KeepUnit.STATE_TREES).get(0).startsWith("/var/lib/postgresql (owned by uid 101"),
        FoundLines.of(keep).toString());
    // without the rule only what was opened is there
    KeepSet off = select(EnumSet.noneOf(KeepUnit.class), config(), log);
    assertFalse(off.contains(p("/var/lib/postgresql/15/main/global/1260")));
  }

  @Test
  void aTreeOfAUserTheAppRanAsIsKeptEvenUnopened() throws Exception {
    AccessLog log = new AccessLog(paths(List.of()), paths(List.of()), new TreeSet<>(), paths(List.of()),
        new TreeSet<>(List.of(0, POSTGRES)), 0);
    KeepSet keep = select(KeepUnit.STATE_TREES, log);
    assertEquals(Optional.of(KeepReason.STATE_TREE), keep.reasonOf(p("/var/lib/postgresql/15/main/global/1262")));
    KeepSet otherUser = select(KeepUnit.STATE_TREES, new AccessLog(paths(List.of()), paths(List.of()),
        new TreeSet<>(), paths(List.of()), new TreeSet<>(List.of(0, 33)), 0));
    assertFalse(otherUser.contains(p("/var/lib/postgresql/15/main/global/1262")), "root and www-data only");
  }

  @Test
  void aDirectoryTheAppWroteIntoIsAStateTreeButNeverTheRoot() throws Exception {
    KeepSet keep = select(KeepUnit.STATE_TREES, log(List.of(), List.of(), List.of("/var/log/app/new.log", "/x.pid")));
    assertEquals(Optional.of(KeepReason.STATE_TREE), keep.reasonOf(p("/var/log/app/old.log")));
    assertFalse(keep.contains(p("/etc/passwd")), "writing into / does not keep the image");
    assertFalse(keep.contains(p("/data/used.txt")));
  }

  /**
   * iconv-lite's lib/index.js requires '../encodings' (a directory: its index.js); @scope/pkg
   * has no package.json to name its entry points, so it is kept whole.
   */
  @Test
  void aLoadedNodeFileKeepsWhatItRequiresButNotItsNestedNodeModules() throws Exception {
    KeepSet keep = select(KeepUnit.CODE_UNITS, log(List.of("/app/node_modules/iconv-lite/lib/index.js",
        "/app/node_modules/@scope/pkg/index.js"), List.of(), List.of()));
    assertEquals(Optional.of(KeepReason.CODE_UNIT),
        keep.reasonOf(p("/app/node_modules/iconv-lite/encodings/index.js")));
    assertEquals("node package /app/node_modules/iconv-lite",
        keep.reasons().get(p("/app/node_modules/iconv-lite/encodings/index.js")).detail());
    assertEquals(Optional.of(KeepReason.CODE_UNIT), keep.reasonOf(p("/app/node_modules/@scope/pkg/extra.js")));
    assertFalse(keep.contains(p("/app/node_modules/iconv-lite/node_modules/nested/index.js")),
        "a nested package is a unit of its own");
    assertFalse(keep.contains(p("/app/node_modules/unused/index.js")));
    // extra.js: index.js was observed, and kept as such
    assertTrue(FoundLines.of(keep).get(KeepUnit.CODE_UNITS).contains("node package /app/node_modules/@scope/pkg: whole"
        + " (no readable package.json), 1 files, 1 bytes"), FoundLines.of(keep).toString());
  }

  @Test
  void aLoadedPythonModuleKeepsWhatItImportsOfItsDistributionAndTheMetadata() throws Exception {
    KeepSet keep = select(KeepUnit.CODE_UNITS,
        log(List.of("/usr/lib/python3/dist-packages/flask/__init__.py"), List.of(), List.of()));
    // "from . import json": flask's own json package, not the standard library's
    assertEquals(Optional.of(KeepReason.CODE_UNIT),
        keep.reasonOf(p("/usr/lib/python3/dist-packages/flask/json/__init__.py")));
    assertEquals(Optional.of(KeepReason.CODE_UNIT),
        keep.reasonOf(p("/usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/top_level.txt")));
    assertFalse(keep.contains(p("/usr/lib/python3/dist-packages/flask/testing.py")), "nothing imports it");
    assertFalse(keep.contains(p("/usr/lib/python3/dist-packages/yaml/__init__.py")));
  }

  @Test
  void aDistributionKeptCodeImportsLazilyIsKeptThoughNeverLoaded() throws Exception {
    KeepSet keep = select(KeepUnit.CODE_UNITS,
        log(List.of("/usr/lib/python3.11/os.py", "/srv/app/lazy.py"), List.of(), List.of()));
    assertEquals(Optional.of(KeepReason.CODE_UNIT),
        keep.reasonOf(p("/usr/lib/python3/dist-packages/yaml/__init__.py")));
    assertEquals("python distribution imported by /srv/app/lazy.py /usr/lib/python3/dist-packages/yaml",
        keep.reasons().get(p("/usr/lib/python3/dist-packages/yaml/__init__.py")).detail());
    assertFalse(keep.contains(p("/usr/lib/python3/dist-packages/flask/__init__.py")), "imported by nothing kept");
  }

  @Test
  void standardLibraryModulesImportedAnywhereInKeptCodeAreKept() throws Exception {
    KeepSet keep = select(KeepUnit.INTERPRETER_STDLIB,
        log(List.of("/usr/lib/python3.11/os.py", "/srv/app/main.py"), List.of(), List.of()));
    assertEquals(Optional.of(KeepReason.STDLIB),
        keep.reasonOf(p("/usr/lib/python3.11/csv.py")), "imported inside a function");
    assertEquals(Optional.of(KeepReason.STDLIB),
        keep.reasonOf(p("/usr/lib/python3.11/lib-dynload/_csv.cpython-311-x86_64-linux-gnu.so")),
        "what csv imports in turn, an extension module");
    assertFalse(keep.contains(p("/usr/lib/python3.11/unused.py")));
    assertFalse(keep.contains(p("/usr/lib/python3.11/json/__init__.py")), "nothing imports json");
  }

  @Test
  void theServerPackageKeepsItsPluginsAndDataButNotItsDocs() throws Exception {
    KeepSet keep = select(KeepUnit.APP_PACKAGE,
        log(List.of("/usr/lib/postgresql/15/bin/postgres"), List.of(), List.of()));
    assertEquals(Optional.of(KeepReason.APP_PACKAGE), keep.reasonOf(p("/usr/lib/postgresql/15/lib/plpgsql.so")));
    assertEquals(Optional.of(KeepReason.APP_PACKAGE), keep.reasonOf(p("/usr/lib/postgresql/15/lib/dict_snowball.so")));
    assertEquals(Optional.of(KeepReason.APP_PACKAGE),
        keep.reasonOf(p("/usr/share/postgresql/15/tsearch_data/english.stop")));
    assertFalse(keep.contains(p("/usr/share/doc/postgresql-15/copyright")));
    assertFalse(keep.contains(p("/usr/lib/postgresql/15/lib/llvmjit.so")), "needs LLVM, which the app never loaded");
    assertFalse(keep.contains(p("/usr/lib/x86_64-linux-gnu/libm.so.6")), "another package's library");
    assertEquals(List.of("postgresql-15:amd64 for /usr/lib/postgresql/15/bin/postgres (21 bytes added; 1 left out"
        + " that need libraries the app did not load)"),
        FoundLines.of(keep).get(KeepUnit.APP_PACKAGE));
  }

  @Test
  void unownedContentNextToWhatTheAppReadIsKeptPackagedFilesAreNot() throws Exception {
    KeepSet keep = select(KeepUnit.APP_CONTENT, log(List.of("/var/www/html/app/index.php", "/app/server.js",
        "/usr/lib/x86_64-linux-gnu/libc.so.6"), List.of(), List.of()));
    assertEquals(Optional.of(KeepReason.APP_CONTENT), keep.reasonOf(p("/var/www/html/app/inc/db.php")));
    assertEquals(Optional.of(KeepReason.APP_CONTENT), keep.reasonOf(p("/app/static/site.css")));
    assertEquals(Optional.of(KeepReason.APP_CONTENT), keep.reasonOf(p("/app/views.html")));
    assertFalse(keep.contains(p("/app/node_modules/unused/index.js")), "node_modules is left to code units");
    assertFalse(keep.contains(p("/var/www/html/index.nginx.html")), "owned by a package");
    assertFalse(keep.contains(p("/usr/lib/x86_64-linux-gnu/libm.so.6")), "next to a packaged file");
  }

  @Test
  void aListedDirectoryKeepsItsUnownedEntries() throws Exception {
    KeepSet keep = select(KeepUnit.LISTED_DIRECTORIES, log(List.of(), List.of("/srv/files"), List.of()));
    assertEquals(Optional.of(KeepReason.LISTED_DIR), keep.reasonOf(p("/srv/files/a.txt")));
    assertEquals(Optional.of(KeepReason.LISTED_DIR), keep.reasonOf(p("/srv/files/b.txt")));
    assertEquals(Optional.of(KeepReason.LISTED_DIR), keep.reasonOf(p("/srv/files/sub")));
    assertFalse(keep.contains(p("/srv/files/sub/c.txt")), "a subdirectory is an entry, not listed itself");
    assertFalse(keep.contains(p("/srv/files/packaged.txt")), "owned by a package");
  }

  @Test
  void aListedDirectoryOfSharedObjectsIsAPluginDirectory() throws Exception {
    KeepSet keep = select(KeepUnit.LISTED_DIRECTORIES,
        log(List.of("/usr/lib/x86_64-linux-gnu/libc.so.6"), List.of("/usr/lib/mysql/plugin"), List.of()));
    assertEquals(Optional.of(KeepReason.LISTED_DIR), keep.reasonOf(p("/usr/lib/mysql/plugin/ha_blackhole.so")),
        "a packaged plugin whose libraries are loaded");
    assertFalse(keep.contains(p("/usr/lib/mysql/plugin/ha_jit.so")), "needs a library the app never loaded");
  }

  @Test
  void aConfiguredDirectoryTheAppOpenedFilesInIsNotKeptWhole() throws Exception {
    // lighttpd.conf names /usr/lib/cgi-bin; the app ran echo.cgi from it, so body.cgi is not added
    KeepSet keep = select(KeepUnit.CONFIG_REFERENCES,
        log(List.of("/etc/lighttpd/lighttpd.conf", "/usr/lib/cgi-bin/echo.cgi"), List.of(), List.of()));
    assertFalse(keep.contains(p("/usr/lib/cgi-bin/body.cgi")));
    assertEquals(Optional.of(KeepReason.CONFIG_REFERENCE),
        keep.reasonOf(p("/srv/site/css/site.css")), "never opened: whole");
  }

  @Test
  void specialFilesInKeptDirectoriesAreKept() throws Exception {
    KeepSet keep = select(KeepUnit.SPECIAL_FILES, log(List.of("/data/used.txt"), List.of(), List.of()));
    assertEquals(Optional.of(KeepReason.SPECIAL_FILE), keep.reasonOf(p("/data/control")));
    assertEquals(Optional.of(KeepReason.SPECIAL_FILE), keep.reasonOf(p("/data/zero")));
    assertFalse(keep.contains(p("/unrelated/pipe")));
  }

  @Test
  void linksIntoTheRuntimesMountsInKeptDirectoriesAreKept() throws Exception {
    KeepSet keep = select(KeepUnit.SPECIAL_FILES,
        log(List.of(), List.of("/var/log/web"), List.of()));
    assertEquals(Optional.of(KeepReason.SPECIAL_FILE), keep.reasonOf(p("/var/log/web/access.log")), "-> /dev/stdout");
    assertFalse(keep.contains(p("/var/log/web/dangling")), "an ordinary dangling link is not special");
  }

  @Test
  void pathsNamedInKeptConfigurationAreKept() throws Exception {
    KeepSet keep = select(KeepUnit.CONFIG_REFERENCES, log(List.of("/etc/lighttpd/lighttpd.conf"), List.of(), List.of()));
    assertEquals(Optional.of(KeepReason.CONFIG_REFERENCE), keep.reasonOf(p("/etc/lighttpd/users")), "a password file");
    assertEquals("named in /etc/lighttpd/lighttpd.conf", keep.reasons().get(p("/etc/lighttpd/users")).detail());
    assertEquals(Optional.of(KeepReason.CONFIG_REFERENCE), keep.reasonOf(p("/usr/lib/cgi-bin/echo.cgi")),
        "a directory of the config's own package, kept whole");
    assertEquals(Optional.of(KeepReason.CONFIG_REFERENCE), keep.reasonOf(p("/usr/share/lighttpd/create-mime.pl")));
    assertEquals(Optional.of(KeepReason.CONFIG_REFERENCE), keep.reasonOf(p("/srv/site/css/site.css")),
        "the document root, a directory no package owns: whole");
    assertFalse(keep.contains(p("/usr/lib/x86_64-linux-gnu/libm.so.6")), "another package's directory");
    assertFalse(keep.contains(p("/srv/files/a.txt")), "a glob names no path");
  }

  @Test
  void configPathsAreReadAsBytesBetweenDelimiters() {
    assertEquals(List.of(p("/etc/a"), p("/var/b/c"), p("/x")), ConfigReferenceRule.pathsIn(
        "root /etc/a; path='/var/b/c/' url http://host/p x/y (/x)".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(List.of(UnixPath.ofBytes(new byte[] {'/', 'd', (byte) 0xff})),
        ConfigReferenceRule.pathsIn(new byte[] {'=', '/', 'd', (byte) 0xff, '\n'}));
  }

  @Test
  void programsAKeptShellScriptMayRunAreKept() throws Exception {
    KeepSet keep = select(KeepUnit.SCRIPT_PROGRAMS, log(List.of("/usr/lib/cgi-bin/body.cgi"), List.of(), List.of()));
    assertEquals(Optional.of(KeepReason.SCRIPT_PROGRAM),
        keep.reasonOf(p("/usr/bin/head")), "run only for a request body");
    assertEquals(Optional.of(KeepReason.SCRIPT_PROGRAM), keep.reasonOf(p("/usr/bin/tr")), "named by its path");
    assertEquals(Optional.of(KeepReason.SCRIPT_PROGRAM), keep.reasonOf(p("/usr/bin/echo")));
    assertEquals("run by /usr/lib/cgi-bin/body.cgi", keep.reasons().get(p("/usr/bin/head")).detail());
    assertFalse(keep.contains(p("/usr/bin/not-executable")));
  }

  @Test
  void oneTimeZoneOpenedKeepsTheWholeCatalogButAnIndexDoesNot() throws Exception {
    KeepSet keep = select(KeepUnit.DATA_CATALOGS, log(List.of("/usr/share/zoneinfo/America/New_York"), List.of(),
        List.of()));
    assertEquals(Optional.of(KeepReason.DATA_CATALOG), keep.reasonOf(p("/usr/share/zoneinfo/Etc/UTC")));
    KeepSet localtime = select(KeepUnit.DATA_CATALOGS, log(List.of("/usr/share/zoneinfo/Etc/UTC"), List.of(),
        List.of()));
    assertEquals(Optional.of(KeepReason.DATA_CATALOG), localtime.reasonOf(p("/usr/share/zoneinfo/America/New_York")),
        "a program that reads one zone handles zones");
    KeepSet index = select(KeepUnit.DATA_CATALOGS,
        log(List.of("/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache"), List.of(), List.of()));
    assertFalse(index.contains(p("/usr/lib/x86_64-linux-gnu/gconv/ISO8859-1.so")), "the index alone says nothing");
  }

  @Test
  void withEveryUnitOffOnlyTheObservedIsKept() throws Exception {
    AccessLog log = log(List.of("/var/lib/postgresql/15/main/PG_VERSION", "/app/node_modules/iconv-lite/lib/index.js",
        "/data/used.txt"), List.of("/srv/files"), List.of("/var/log/app/new.log"));
    KeepSet keep = select(EnumSet.noneOf(KeepUnit.class), config("/usr/lib/postgresql/15/bin/postgres"), log);
    List<KeepReason> reasons = new ArrayList<>(keep.countsByReason().keySet());
    reasons.removeAll(List.of(KeepReason.OBSERVED, KeepReason.PARENT_DIR, KeepReason.ENTRYPOINT,
        KeepReason.SPECIAL_DIR));
    assertEquals(List.of(), reasons);
    assertTrue(FoundLines.of(keep).isEmpty());
  }

  private static TreeSet<UnixPath> paths(List<String> paths) {
    return new TreeSet<>(paths.stream().map(UnixPath::of).toList());
  }

  private static UnixPath p(String path) {
    return UnixPath.of(path);
  }

  @SuppressWarnings("unused")
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
