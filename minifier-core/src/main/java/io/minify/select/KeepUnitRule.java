package io.minify.select;

import java.util.List;

/** One {@link KeepUnit}: adds whole units around what the app used. */
interface KeepUnitRule {

  KeepUnit unit();

  /** Offers the entries of every unit the app used; returns the units found, for the report. */
  List<String> apply(UnitContext context);
}
