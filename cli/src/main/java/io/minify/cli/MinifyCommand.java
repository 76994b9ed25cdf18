package io.minify.cli;

import io.minify.engine.ContainerEngine;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.failure.FailureKind;
import io.minify.pipeline.HostFacts;
import io.minify.pipeline.MinifyVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code minify} command: a container for its subcommands. */
@Command(
    name = "minify",
    mixinStandardHelpOptions = true,
    versionProvider = MinifyCommand.Version.class,
    subcommands = {BuildCommand.class, MergeCommand.class, XrayCommand.class, DiffCommand.class, LintCommand.class,
        DebugCommand.class, CommandLine.HelpCommand.class},
    description = {
        "Makes container images small by watching what they really use.",
        "",
        "It runs the image once under a file monitor while probes drive it, keeps only the files the app opened"
            + " (plus what they need), and verifies that the slim image answers the same requests the same way."})
public final class MinifyCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: try 'minify build --help',"
        + " 'minify merge --help', 'minify xray --help', 'minify diff --help', 'minify lint --help' or 'minify debug --help'");
  }

  public static void main(String[] args) {
    // `minify build` always needs the engine: connecting starts now, beside the parsing
    Supplier<ContainerEngine> engines = args.length > 0 && args[0].equals("build")
        ? EarlyConnection.begin(DockerJavaEngine::connect) : DockerJavaEngine::connect;
    System.exit(newCommandLine(engines).execute(args));
  }

  /** The configured command line; tests call {@code execute} on it in-process. */
  public static CommandLine newCommandLine() {
    return newCommandLine(DockerJavaEngine::connect);
  }

  /** The command line with its subcommands talking to the engine {@code engines} connects to. */
  static CommandLine newCommandLine(Supplier<ContainerEngine> engines) {
    return newCommandLine(engines, LocalTerminal.ofProcess());
  }

  /** The same, {@code debug} attaching its containers to {@code terminal}. */
  static CommandLine newCommandLine(Supplier<ContainerEngine> engines, LocalTerminal terminal) {
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == BuildCommand.class) {
          return type.cast(new BuildCommand(engines));
        }
        if (type == MergeCommand.class) {
          return type.cast(new MergeCommand(engines));
        }
        if (type == XrayCommand.class) {
          return type.cast(new XrayCommand(engines));
        }
        if (type == DiffCommand.class) {
          return type.cast(new DiffCommand(engines));
        }
        if (type == DebugCommand.class) {
          return type.cast(new DebugCommand(engines, terminal, HostFacts.proc()));
        }
        return CommandLine.defaultFactory().create(type);
      }
    };
    CommandLine cmd = new CommandLine(new MinifyCommand(), factory);
    // a bad option is one line that names it, not a page of usage: the user fixes one thing
    cmd.setParameterExceptionHandler((ex, args) -> {
      CommandLine failed = ex.getCommandLine();
      // a converter's refusal names the value only; the option's name goes in front, as in every refusal
      String message = ex.getCause() instanceof BadValue bad && ex.getArgSpec() instanceof OptionSpec option
          ? bad.describe(option.longestName()) : ex.getMessage();
      failed.getErr().println("minify: error: " + message + " (see '" + failed.getCommandSpec().qualifiedName()
          + " --help')");
      failed.getErr().flush();
      return FailureKind.BAD_INPUT.exitCode();
    });
    cmd.setExecutionExceptionHandler((ex, line, parsed) -> {
      line.getErr().println("minify: internal error: " + ex);
      return FailureKind.INTERNAL.exitCode();
    });
    // every code the program returns, from the one list of them, on every command's help
    List<String> footer = new ArrayList<>(List.of("", "Exit codes:", "  0 ok"));
    Arrays.stream(FailureKind.values()).map(k -> "  " + k.describe()).forEach(footer::add);
    for (CommandLine sub : List.of(cmd, cmd.getSubcommands().get("build"), cmd.getSubcommands().get("merge"),
        cmd.getSubcommands().get("xray"), cmd.getSubcommands().get("diff"), cmd.getSubcommands().get("lint"),
        cmd.getSubcommands().get("debug"))) {
      // one layout for every page: a blank line between the usage line, the description and the options
      sub.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new)).descriptionHeading("%n")
          .parameterListHeading("%n").optionListHeading(sub == cmd ? "%n" : "").commandListHeading("%nCommands:%n");
    }
    // like docker run: everything after CONTAINER is the command, its options too
    cmd.getSubcommands().get("debug").setStopAtPositional(true);
    return cmd;
  }

  /** The version the pom gives, which the build wrote into the jar ({@link MinifyVersion}). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minify " + MinifyVersion.current()};
    }
  }
}
