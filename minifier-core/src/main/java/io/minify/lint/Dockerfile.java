package io.minify.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed Dockerfile.
 *
 * @param escape     the escape character ({@code \} or the backtick the {@code # escape=} directive sets)
 * @param syntax     the {@code # syntax=} directive's frontend, if any
 * @param globalArgs the {@code ARG}s before the first {@code FROM}
 * @param stages     the build stages, in order; the last one is the image the build ships
 */
public record Dockerfile(char escape, Optional<String> syntax, List<Instruction> globalArgs, List<Stage> stages) {

  public Dockerfile {
    globalArgs = List.copyOf(globalArgs);
    stages = List.copyOf(stages);
  }

  /** The stage the build ships (without {@code --target}): the last. */
  public Stage finalStage() {
    return stages.get(stages.size() - 1);
  }

  /**
   * The stages whose layers end up in the shipped image: the final stage and, when its
   * {@code FROM} names an earlier stage, that one, and so on. Outermost first. Stages that
   * only lend files ({@code COPY --from}) are not among them: only the copied files ship.
   */
  public List<Stage> shippedChain() {
    List<Stage> chain = new ArrayList<>();
    Stage stage = finalStage();
    while (stage != null) {
      chain.add(0, stage);
      stage = earlierStage(stage).orElse(null);
    }
    return chain;
  }

  /** The earlier stage {@code stage}'s {@code FROM} names, if it names one. */
  public Optional<Stage> earlierStage(Stage stage) {
    for (int i = stage.index() - 1; i >= 0; i--) {
      if (stages.get(i).isNamed(stage.base())) {
        return Optional.of(stages.get(i));
      }
    }
    return Optional.empty();
  }

  /** The image the shipped chain starts from: {@code scratch} or an image reference. */
  public String shippedBase() {
    return shippedChain().get(0).base();
  }

  /** Every instruction of every stage, in file order. */
  public List<Instruction> instructions() {
    List<Instruction> all = new ArrayList<>(globalArgs);
    for (Stage stage : stages) {
      all.add(stage.from());
      all.addAll(stage.instructions());
    }
    return all;
  }
}
