package io.minify.pipeline;

/**
 * A typed slot of {@link BuildContext}: what one stage hands to the stages after it. Each
 * handoff is declared once, by the stage that produces it, so a new stage adds its own
 * handoffs without touching the context. Compared by identity.
 *
 * @param <T> what the slot holds
 */
public final class Handoff<T> {
  private final String name;

  private Handoff(String name) {
    this.name = name;
  }

  /** @param name what the value is, for the message when a stage reads it too early */
  public static <T> Handoff<T> named(String name) {
    return new Handoff<>(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
