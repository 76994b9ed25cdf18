package io.minify.select;

import static io.minify.select.KeepUnit.APP_CONTENT;
import static io.minify.select.KeepUnit.APP_PACKAGE;
import static io.minify.select.KeepUnit.CODE_UNITS;
import static io.minify.select.KeepUnit.CONFIG_REFERENCES;
import static io.minify.select.KeepUnit.DATA_CATALOGS;
import static io.minify.select.KeepUnit.INTERPRETER_STDLIB;
import static io.minify.select.KeepUnit.LISTED_DIRECTORIES;
import static io.minify.select.KeepUnit.SCRIPT_PROGRAMS;
import static io.minify.select.KeepUnit.SPECIAL_FILES;
import static io.minify.select.KeepUnit.STATE_TREES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The enum is the one registry of keep units: their rules, their order, their flags. */
class KeepUnitTest {

  @Test
  void rulesRunInTheirPhasesOrder() {
    // data catalogs before app-package: a catalog entry's reason is data_catalog even when a
    // program of the catalog's package ran; what kept files name, last; special files after the closure
    assertEquals(List.of(STATE_TREES, CODE_UNITS, INTERPRETER_STDLIB, DATA_CATALOGS, APP_PACKAGE, APP_CONTENT,
        LISTED_DIRECTORIES, CONFIG_REFERENCES, SCRIPT_PROGRAMS, SPECIAL_FILES),
        KeepUnit.inOrder(EnumSet.allOf(KeepUnit.Phase.class)));
    assertEquals(List.of(SPECIAL_FILES), KeepUnit.inOrder(EnumSet.of(KeepUnit.Phase.AFTER_CLOSURE)));
  }

  @Test
  void theUnitsThatTellTheAppsFilesBySystemPackagesNeedTheDatabase() {
    assertEquals(EnumSet.of(APP_PACKAGE, APP_CONTENT, LISTED_DIRECTORIES, CONFIG_REFERENCES),
        EnumSet.copyOf(Arrays.stream(KeepUnit.values()).filter(KeepUnit::needsPackageDatabase).toList()));
  }

  @Test
  void everyUnitMakesARuleWithoutAnImage() {
    KeepUnitRule.Inputs inputs = new KeepUnitRule.Inputs(List.of(), Optional.empty());
    for (KeepUnit unit : KeepUnit.values()) {
      assertTrue(unit.rule(inputs) != null, unit.label());
    }
  }

  @Test
  void everyFlagHasHelpOfWholeSentences() {
    for (KeepUnit unit : KeepUnit.values()) {
      assertEquals("--keep-" + unit.label(), unit.option());
      assertSentences(unit.label(), unit.help());
    }
    for (DropRule rule : DropRule.values()) {
      assertEquals("--drop-" + rule.label(), rule.option());
      assertSentences(rule.label(), rule.help());
    }
  }

  private static void assertSentences(String what, List<String> help) {
    assertFalse(help.isEmpty(), what);
    for (String sentence : help) {
      assertTrue(sentence.endsWith(".") && !sentence.contains("\n") && Character.isUpperCase(sentence.charAt(0)),
          what + ": " + sentence);
    }
  }
}
