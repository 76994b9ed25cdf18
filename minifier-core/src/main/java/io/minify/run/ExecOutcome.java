package io.minify.run;

import io.minify.engine.ExecResult;

/** An {@code --exec} command and how it ended in a container. */
public record ExecOutcome(ExecCommand command, ExecResult result) {}
