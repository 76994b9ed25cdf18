package io.minify.pipeline;

import io.minify.failure.BuildException;

/**
 * One stage of {@code minify build}. It reads what earlier stages handed over from the
 * {@link BuildContext}, puts what it produces there, registers every resource it creates in
 * the context's cleanup stack, and returns one line of what it found. Timing, progress and
 * cleanup are the {@link StepRunner}'s business, not the step's.
 */
public non-sealed interface BuildStep extends StepListEntry {

  Stage stage();

  /** @return the stage's one-line summary ("12 probe(s) answered") */
  String run(BuildContext build) throws BuildException;
}
