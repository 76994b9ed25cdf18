package io.minify.pipeline;

/**
 * An entry of {@link BuildPipeline#STEPS}: one stage ({@link BuildStep}), or stages that run
 * once per scenario ({@link EachScenario}).
 */
sealed interface StepListEntry permits BuildStep, EachScenario {}
