package io.minify.cli;

import io.minify.engine.ContainerEngine;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;

/**
 * What {@code xray} and {@code diff} share: the engine they may need, their common options,
 * and the order of a run: every option checked before anything is read (a bad one is exit 2
 * with one line), then the analysis in a scratch directory of its own.
 */
abstract class AnalysisCommand implements Callable<Integer> {

  private final Supplier<ContainerEngine> engines;

  @ArgGroup(validate = false, heading = "%nOutput:%n")
  AnalysisOptions analysis = new AnalysisOptions();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  AnalysisCommand(Supplier<ContainerEngine> engines) {
    this.engines = engines;
  }

  /**
   * Checks this command's own arguments and returns the analysis to run.
   *
   * @throws CommandLine.ParameterException naming a bad argument
   */
  abstract AnalysisRun.Body prepare(CommandLine line);

  @Override
  public final Integer call() {
    CommandLine line = spec.commandLine();
    analysis.validate(line);
    AnalysisRun.Body body = prepare(line);
    return AnalysisRun.execute(engines, analysis.workRoot(), line.getErr(), body);
  }
}
