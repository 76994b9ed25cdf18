package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.pipeline.BuildOptions;
import io.minify.select.DropRule;
import io.minify.select.KeepUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every keep unit and drop rule has a flag that turns it off, in both spellings, made from its
 * enum ({@link RuleSwitches}); all are on by default.
 */
class KeepUnitOptionsTest {

  /** What {@code minify build img:1 ARGS} would build with: its keep options and switches, as its call applies them. */
  private static BuildOptions optionsOf(String... args) {
    List<String> argv = new ArrayList<>(List.of("build", "img:1"));
    argv.addAll(List.of(args));
    CommandLine.ParseResult parsed = MinifyCommand.newCommandLine().parseArgs(argv.toArray(String[]::new));
    BuildCommand build = (BuildCommand) parsed.subcommand().commandSpec().userObject();
    build.validate();
    return build.keep.applyTo(BuildOptions.defaults("img:1").toBuilder(), build.switches).build();
  }

  private static Set<KeepUnit> unitsOf(String... args) {
    return optionsOf(args).keep().units();
  }

  @Test
  void everyUnitIsOnByDefault() {
    assertEquals(EnumSet.allOf(KeepUnit.class), unitsOf());
    assertEquals(KeepUnit.defaults(), unitsOf());
  }

  @Test
  void aValueThatIsNotABooleanIsRefusedOnOneLine() {
    CliRun run = CliRun.of("build", "img:1", "--keep-state-trees=maybe");
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(1, run.err().strip().lines().count(), run.toString());
    org.junit.jupiter.api.Assertions.assertTrue(run.err().contains("--keep-state-trees"), run.toString());
    org.junit.jupiter.api.Assertions.assertTrue(run.err().contains("maybe"), run.toString());
  }

  private static boolean stripElfOf(String... args) {
    return optionsOf(args).stripElf();
  }

  @Test
  void stripElfIsOnByDefaultAndTakesEverySpelling() {
    assertEquals(true, stripElfOf(), "the command line's default");
    assertEquals(false, BuildOptions.defaults("img:1").stripElf(), "the library's: a caller says what it wants");
    assertEquals(true, stripElfOf("--strip-elf"));
    assertEquals(true, stripElfOf("--strip-elf=true"));
    assertEquals(false, stripElfOf("--strip-elf=false"));
    assertEquals(false, stripElfOf("--no-strip-elf"));
  }

  private static Set<DropRule> dropsOf(String... args) {
    return optionsOf(args).selectionRules().drops();
  }

  @Test
  void theIncludeRulesAndTheSwitchesDoNotUndoEachOther() {
    BuildOptions options = optionsOf("--include-shell", "--no-keep-app-package", "--no-drop-docs");
    assertEquals(1, options.keep().includes().size());
    assertEquals(false, options.keep().units().contains(KeepUnit.APP_PACKAGE));
    assertEquals(false, options.keep().drops().contains(DropRule.DOCS));
  }

  @Test
  void theLastSpellingWins() {
    assertEquals(KeepUnit.defaults(), unitsOf("--no-keep-state-trees", "--keep-state-trees"));
  }

  @Test
  void everyDropRuleIsOnByDefaultAndHasItsOwnOffFlag() {
    assertEquals(DropRule.defaults(), dropsOf());
    for (DropRule rule : DropRule.values()) {
      Set<DropRule> expected = EnumSet.allOf(DropRule.class);
      expected.remove(rule);
      assertEquals(expected, dropsOf("--no-drop-" + rule.label()), rule.label());
      assertEquals(expected, dropsOf("--drop-" + rule.label() + "=false"), rule.label());
    }
  }

  @Test
  void eachUnitHasItsOwnOffFlagInBothSpellings() {
    for (KeepUnit unit : KeepUnit.values()) {
      Set<KeepUnit> expected = EnumSet.allOf(KeepUnit.class);
      expected.remove(unit);
      assertEquals(expected, unitsOf("--no-keep-" + unit.label()), unit.label());
      assertEquals(expected, unitsOf("--keep-" + unit.label() + "=false"), unit.label());
    }
  }
}
