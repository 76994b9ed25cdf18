package io.minify.failure;

/**
 * An exception that knows which kind of failure it is: the engine's and the image's own
 * exceptions say it where they are defined, so {@link Failures#kindOf} decides every exit
 * code in one place without this package knowing their types.
 */
public interface ClassifiedFault {

  /** The kind of failure, hence the exit code, this fault makes of a run. */
  FailureKind failureKind();
}
