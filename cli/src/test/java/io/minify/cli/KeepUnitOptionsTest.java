package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minify.pipeline.BuildOptions;
import io.minify.select.DropRule;
import io.minify.select.KeepUnit;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every keep unit has a flag that turns it off, in both spellings; all are on by default. */
class KeepUnitOptionsTest {

  private static Set<KeepUnit> unitsOf(String... args) {
    CommandLine line = new CommandLine(new KeepOptions());
    KeepOptions options = line.<KeepOptions>getCommand();
    line.parseArgs(args);
    BuildOptions built = options.applyTo(BuildOptions.defaults("img:1").toBuilder()).build();
    return built.keep().units();
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
    CommandLine line = new CommandLine(new KeepOptions());
    KeepOptions options = line.<KeepOptions>getCommand();
    line.parseArgs(args);
    return options.applyTo(BuildOptions.defaults("img:1").toBuilder()).build().stripElf();
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
    CommandLine line = new CommandLine(new KeepOptions());
    KeepOptions options = line.<KeepOptions>getCommand();
    line.parseArgs(args);
    return options.applyTo(BuildOptions.defaults("img:1").toBuilder()).build().selectionRules().drops();
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
