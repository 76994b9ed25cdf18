package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every help page, as a user reads it: {@code minify --help} and the {@code --help} of every
 * command {@link MinifyCommand} registers, compared with the golden files in
 * {@code src/test/resources/help/} (picocli's default width of 80 columns; no command sets
 * another). A change of help text shows in review as a change of those files.
 *
 * <p>To regenerate them after a deliberate change: {@code mvn -o -q -pl cli -am test
 * -Dtest=HelpPagesTest -Dsurefire.failIfNoSpecifiedTests=false -Dminify.updateGolden=true}.
 */
class HelpPagesTest {

  private static final Path GOLDEN = Path.of("src", "test", "resources", "help");
  private static final boolean UPDATE = Boolean.getBoolean("minify.updateGolden");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** The arguments of each page: none for {@code minify --help}, else the command's name. */
  static Stream<String> pages() {
    List<String> pages = new ArrayList<>(List.of("minify"));
    pages.addAll(MinifyCommand.newCommandLine().getSubcommands().keySet());
    return pages.stream();
  }

  private static String render(String page) {
    assertNull(System.getProperty("picocli.usage.width"), "the golden pages are at the default width");
    CliRun run = page.equals("minify") ? CliRun.of("--help") : CliRun.of(page, "--help");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("", run.err(), run.toString());
    return run.out();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pages")
  void isTheGoldenPage(String page) throws IOException {
    String help = render(page);
    Path golden = GOLDEN.resolve(page + ".txt");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, help, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(golden), golden + " is missing: run with -Dminify.updateGolden=true to write it");
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), help, "the help of " + page + " changed; if that"
        + " is meant, regenerate the golden pages with -Dminify.updateGolden=true and review their diff");
  }

  /**
   * picocli wraps at spaces but also where a line-break rule allows inside a word ("e." "g.",
   * "(docker-archive:" "FILE)"): with every run of white space made one space, each sentence
   * of every description, and every option's name, must read as written.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pages")
  void cutsNoWordAndNoName(String page) {
    String help = SPACES.matcher(render(page)).replaceAll(" ");
    CommandSpec spec = spec(page);
    List<String> sentences = new ArrayList<>(List.of(spec.usageMessage().description()));
    for (ArgSpec arg : spec.args()) {
      for (String sentence : arg.description()) {
        sentences.add(sentence.replace("${DEFAULT-VALUE}", arg.defaultValueString()));
      }
    }
    for (String sentence : sentences) {
      String flat = SPACES.matcher(sentence.replace("%n", " ")).replaceAll(" ").strip();
      assertTrue(help.contains(flat), page + " --help cuts \"" + flat + "\":\n" + render(page));
    }
    for (OptionSpec option : spec.options()) {
      String name = option.negatable() ? option.longestName().replaceFirst("^--", "--[no-]") : option.longestName();
      assertTrue(Pattern.compile("(^| )" + Pattern.quote(name) + "([ =\\[,]|$)").matcher(help).find(),
          page + " --help cuts " + name);
    }
  }

  /**
   * Each description element of minify's own commands is whole sentences (or a blank line): the
   * source has no line break inside one. (picocli's {@code help} command is picocli's text.)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pages")
  void describesInWholeSentences(String page) {
    CommandSpec spec = spec(page);
    if (spec.userObject() instanceof CommandLine.HelpCommand) {
      return;
    }
    List<String> elements = new ArrayList<>(List.of(spec.usageMessage().description()));
    for (ArgSpec arg : spec.args()) {
      elements.addAll(List.of(arg.description()));
    }
    for (String element : elements) {
      assertTrue(element.isEmpty() || (Character.isUpperCase(element.charAt(0)) || element.startsWith("--"))
          && element.endsWith(".") && !element.contains("\n") && !element.contains("%n"),
          page + ": \"" + element + "\" is not whole sentences");
    }
  }

  /** The command list of {@code minify --help} gives each command's summary whole, on its own line. */
  @Test
  void eachCommandsSummaryFitsItsLine() {
    List<String> lines = render("minify").lines().toList();
    MinifyCommand.newCommandLine().getSubcommands().forEach((name, sub) -> {
      CommandLine.Model.UsageMessageSpec usage = sub.getCommandSpec().usageMessage();
      // picocli shows the header where a command has one (its help command does), else the description's first line
      String summary = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
      assertTrue(lines.stream().anyMatch(l -> l.matches(" +" + Pattern.quote(name) + " +" + Pattern.quote(summary))),
          name + "'s summary does not fit its line: " + summary);
    });
  }

  private static CommandSpec spec(String page) {
    CommandLine cmd = MinifyCommand.newCommandLine();
    return page.equals("minify") ? cmd.getCommandSpec() : cmd.getSubcommands().get(page).getCommandSpec();
  }
}
