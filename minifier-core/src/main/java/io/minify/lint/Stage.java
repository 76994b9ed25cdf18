package io.minify.lint;

import java.util.List;
import java.util.Optional;

/**
 * A build stage: a {@code FROM} and the instructions up to the next one.
 *
 * @param index        0 for the first stage
 * @param from         its {@code FROM} instruction
 * @param base         the image it starts from, build arguments declared before the first
 *                     {@code FROM} expanded ({@code scratch}, an earlier stage's name or an image reference)
 * @param name         the name {@code AS} gives it
 * @param instructions the instructions after the {@code FROM}
 */
public record Stage(int index, Instruction from, String base, Optional<String> name, List<Instruction> instructions) {

  public Stage {
    instructions = List.copyOf(instructions);
  }

  /** Whether this stage is the one {@code base} (a {@code FROM} or {@code --from} argument) names. */
  public boolean isNamed(String reference) {
    return name.map(n -> n.equalsIgnoreCase(reference)).orElse(false) || reference.equals(Integer.toString(index));
  }
}
