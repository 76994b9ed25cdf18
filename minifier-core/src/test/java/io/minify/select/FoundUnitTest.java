package io.minify.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The report's {@code keepUnits[].found} lines, made from what the rules found: each form as
 * the report has always written it, so the typed result changes no report byte.
 */
class FoundUnitTest {

  @Test
  void aKeptUnitListsItsFactsThenItsBytesThenWhatWasLeftOut() {
    assertEquals("/var/lib/postgresql (owned by uid 101, 4096 bytes added)", new FoundUnit.Kept(
        "/var/lib/postgresql", List.of("owned by uid 101"), OptionalLong.of(4096), List.of()).describe());
    assertEquals("/usr/share/zoneinfo (12 bytes added)", FoundUnit.Kept.of("/usr/share/zoneinfo", 12).describe());
    assertEquals("/srv/www (3 entries, 0 bytes added)", new FoundUnit.Kept("/srv/www", List.of("3 entries"),
        OptionalLong.of(0), List.of()).describe());
    assertEquals("/var/log/app.log (symlink to /dev/stdout)", new FoundUnit.Kept("/var/log/app.log",
        List.of("symlink to /dev/stdout"), OptionalLong.empty(), List.of()).describe());
    assertEquals("postgresql-15 for /usr/lib/postgresql/15/bin/postgres (10 bytes added; 2 left out that need"
        + " libraries the app did not load)", new FoundUnit.Kept("postgresql-15 for /usr/lib/postgresql/15/bin/postgres",
        List.of(), OptionalLong.of(10), List.of("2 left out that need libraries the app did not load")).describe());
  }

  @Test
  void aCodeRootSaysWhatShowsItToBeOne() {
    FoundUnit root = new FoundUnit.CodeRoot("/app", "holds package.json, above /app/server.js", 77);
    assertEquals("code root /app (holds package.json, above /app/server.js; 77 bytes added)", root.describe());
    assertEquals(OptionalLong.of(77), root.bytesAdded());
  }

  @Test
  void aPartSaysWhatOfTheUnitWasKept() {
    assertEquals("python /usr/lib/python3.11: 3 modules imported by kept code (900 bytes added)",
        new FoundUnit.Part("python /usr/lib/python3.11", "3 modules imported by kept code", OptionalLong.of(900))
            .describe());
    assertEquals("/entrypoint.sh: head sed", new FoundUnit.Part("/entrypoint.sh", "head sed", OptionalLong.empty())
        .describe());
  }

  @Test
  void aScannedUnitIsKeptByScanOrWhole() {
    assertEquals("node package /app/node_modules/x: 4 files, 168 bytes kept by scan; whole: lib/drivers (require"
        + " with a computed name in lib/index.js)", new FoundUnit.Scanned("node package /app/node_modules/x", 4, 168,
        Optional.empty(), List.of(new FoundUnit.WholeDirectory("lib/drivers",
        "require with a computed name in lib/index.js"))).describe());
    assertEquals("node package /app/node_modules/y: whole (no readable package.json), 1 files, 1 bytes",
        new FoundUnit.Scanned("node package /app/node_modules/y", 1, 1, Optional.of("no readable package.json"),
            List.of()).describe());
  }

  @Test
  void aLibraryCountsItsScanAndItsWholeSubtreesApart() {
    FoundUnit ruby = new FoundUnit.Library("ruby /usr/lib/ruby/3.1.0", 12, "features", 300, 40,
        List.of(new FoundUnit.WholeDirectory("/usr/lib/ruby/3.1.0/enc", "encodings are loaded by name at run time")),
        List.of("/app/lib/x.rb"));
    assertEquals("ruby /usr/lib/ruby/3.1.0: 12 features required by kept code (300 bytes added); kept whole (40"
        + " bytes added): /usr/lib/ruby/3.1.0/enc (encodings are loaded by name at run time); computed requires not"
        + " followed: /app/lib/x.rb", ruby.describe());
    assertEquals(OptionalLong.of(340), ruby.bytesAdded());
    assertEquals("perl /usr/share/perl/5.36: 2 modules required by kept code (5 bytes added)",
        new FoundUnit.Library("perl /usr/share/perl/5.36", 2, "modules", 5, 0, List.of(), List.of()).describe());
  }

  @Test
  void aNoteIsItsText() {
    assertEquals("told apart by the image's apk database", new FoundUnit.Note("told apart by the image's apk database")
        .describe());
  }
}
