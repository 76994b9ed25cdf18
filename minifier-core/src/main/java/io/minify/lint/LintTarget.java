package io.minify.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What lint looks at: a parsed Dockerfile and the {@code .dockerignore} of its build
 * context, when there is one.
 *
 * @param dockerfile   the parsed file
 * @param dockerignore the lines of the context's {@code .dockerignore}; empty when it has none
 */
public record LintTarget(Dockerfile dockerfile, Optional<List<String>> dockerignore) {

  public LintTarget {
    dockerignore = dockerignore.map(List::copyOf);
  }

  /** The {@code RUN}s of the stages that ship, in order. */
  public List<Instruction> shippedRuns() {
    List<Instruction> runs = new ArrayList<>();
    for (Stage stage : dockerfile.shippedChain()) {
      stage.instructions().stream().filter(i -> i.is("RUN")).forEach(runs::add);
    }
    return runs;
  }

  /** The last instruction called {@code keyword} in the stages that ship. */
  public Optional<Instruction> lastShipped(String keyword) {
    Instruction last = null;
    for (Stage stage : dockerfile.shippedChain()) {
      for (Instruction instruction : stage.instructions()) {
        if (instruction.is(keyword)) {
          last = instruction;
        }
      }
    }
    return Optional.ofNullable(last);
  }
}
