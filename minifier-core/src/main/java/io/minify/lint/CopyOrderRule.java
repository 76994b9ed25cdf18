package io.minify.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The whole build context is copied before a {@code RUN} installs dependencies from a
 * manifest ({@code COPY . .} then {@code npm ci}): any change to any file invalidates the
 * install's layer, and every build installs everything again.
 */
final class CopyOrderRule implements LintRule {
  @Override
  public String id() {
    return "copy-before-install";
  }

  @Override
  public Level level() {
    return Level.WARNING;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    List<Finding> found = new ArrayList<>();
    char escape = target.dockerfile().escape();
    for (Stage stage : target.dockerfile().stages()) {
      Instruction wholeCopy = null;
      for (Instruction instruction : stage.instructions()) {
        if ((instruction.is("COPY") || instruction.is("ADD")) && instruction.flag("from").isEmpty()
            && wholeCopy == null && CopySources.of(instruction, escape).stream().anyMatch(CopySources::wholeContext)) {
          wholeCopy = instruction;
        }
        if (wholeCopy != null && instruction.is("RUN")) {
          Optional<String> install = ShellScript.of(instruction).stream().map(CopyOrderRule::manifestInstall)
              .flatMap(Optional::stream).findFirst();
          if (install.isPresent()) {
            found.add(finding(wholeCopy.line(), "the whole context is copied before '" + install.get()
                + "' (line " + instruction.line() + "): a change to any file reruns the install",
                "copy the dependency manifest first (e.g. COPY package.json package-lock.json ./ or COPY"
                    + " requirements.txt ./), install, then COPY the rest"));
            break;
          }
        }
      }
    }
    return found;
  }

  /** The install command, when {@code command} installs what a manifest lists. */
  private static Optional<String> manifestInstall(ShellCommand c) {
    String program = c.program();
    String sub = c.subcommand();
    List<String> args = c.arguments();
    long packageArgs = args.stream().filter(a -> !a.startsWith("-")).count();
    boolean found = switch (program) {
      case "npm" -> Set.of("ci", "install", "i").contains(sub) && packageArgs == 1;
      case "pnpm" -> sub.equals("install") || sub.equals("i");
      case "yarn" -> sub.isEmpty() || sub.equals("install");
      case "pip", "pip3" -> sub.equals("install") && (args.contains("-r") || args.contains("--requirement")
          || args.stream().anyMatch(a -> a.startsWith("-r") || a.startsWith("--requirement="))
          || args.contains(".") || args.contains("-e"));
      case "poetry", "pipenv", "bundle", "composer" -> sub.equals("install");
      case "go" -> sub.equals("mod") && args.contains("download");
      case "cargo" -> sub.equals("fetch");
      case "dotnet" -> sub.equals("restore");
      default -> false;
    };
    return found ? Optional.of(String.join(" ", c.words().subList(0, Math.min(3, c.words().size()))))
        : Optional.empty();
  }
}
