package io.minify.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code apt-get install} without {@code --no-install-recommends} in a shipped stage: apt
 * also installs every package the requested ones merely recommend. An apt configuration
 * written earlier that turns recommends off ({@code APT::Install-Recommends}) counts.
 */
final class AptRecommendsRule implements LintRule {
  @Override
  public String id() {
    return "apt-recommends";
  }

  @Override
  public Level level() {
    return Level.WARNING;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    List<Finding> found = new ArrayList<>();
    boolean configured = false;
    List<Instruction> shipped = new ArrayList<>();
    target.dockerfile().shippedChain().forEach(s -> shipped.addAll(s.instructions()));
    for (Instruction run : shipped) {
      if (!run.is("RUN")) {
        configured |= writesNoRecommends(run);
        continue;
      }
      boolean reported = false;
      for (ShellCommand command : ShellScript.of(run)) {
        boolean apt = command.program().equals("apt-get") || command.program().equals("apt");
        if (!apt || !command.subcommand().equals("install") || configured || reported) {
          continue;
        }
        if (command.hasArgument("--no-install-recommends")
            || command.arguments().stream().anyMatch(a -> a.startsWith("APT::Install-Recommends="))) {
          continue;
        }
        reported = true;
        found.add(finding(run.line(), "apt-get install without --no-install-recommends also installs the"
            + " packages the requested ones only recommend", "apt-get install -y --no-install-recommends ..."));
      }
      // a configuration file written here turns recommends off for the RUNs after it
      configured |= writesNoRecommends(run);
    }
    return found;
  }

  /** Whether {@code instruction} writes an apt configuration about recommends (a RUN echo, a COPY heredoc). */
  private static boolean writesNoRecommends(Instruction instruction) {
    return instruction.arguments().contains("Install-Recommends")
        || instruction.heredocs().stream().anyMatch(h -> h.body().contains("Install-Recommends"));
  }
}
