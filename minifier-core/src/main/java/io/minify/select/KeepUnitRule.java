package io.minify.select;

import io.minify.path.UnixPath;
import java.util.List;
import java.util.Optional;

/** What one {@link KeepUnit} does: adds whole units around what the app used. */
interface KeepUnitRule {

  /** Offers the entries of every unit the app used; returns the units found, for the report. */
  List<FoundUnit> apply(UnitContext context);

  /**
   * What some rules are made with, found once per selection.
   *
   * @param appRoots          the app's code roots ({@link AppRoots}): code units read their
   *                          manifests, app content keeps them
   * @param entrypointProgram the program ENTRYPOINT+CMD runs, as the engine looks it up
   */
  record Inputs(List<AppRoots.Root> appRoots, Optional<UnixPath> entrypointProgram) {
    public Inputs {
      appRoots = List.copyOf(appRoots);
    }
  }
}
