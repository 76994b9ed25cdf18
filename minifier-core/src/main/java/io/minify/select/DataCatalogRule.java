package io.minify.select;

import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@link KeepUnit#DATA_CATALOGS}: some data is a catalog the app picks one entry of by name
 * at run time: a time zone ({@code SET TIME ZONE 'America/New_York'}, {@code TZ=}), an iconv
 * character set, a terminal description. An app that opened one entry keeps the whole
 * catalog: {@code share/zoneinfo}, {@code gconv} (the iconv modules and their index),
 * {@code terminfo}.
 */
final class DataCatalogRule implements KeepUnitRule {
  private static final List<String> CATALOG_NAMES = List.of("zoneinfo", "gconv", "terminfo");

  @Override
  public KeepUnit unit() {
    return KeepUnit.DATA_CATALOGS;
  }

  @Override
  public List<String> apply(UnitContext ctx) {
    TreeSet<UnixPath> catalogs = new TreeSet<>();
    for (UnixPath used : ctx.usedInImage()) {
      for (UnixPath a = used; !a.isRoot(); a = a.parent()) {
        UnixPath dir = a;
        if (CATALOG_NAMES.stream().anyMatch(dir::nameEquals) && ctx.isDirectory(dir)) {
          catalogs.add(dir);
          break;
        }
      }
    }
    List<String> found = new ArrayList<>();
    for (UnixPath catalog : catalogs) {
      long bytes = ctx.keepTree(catalog, new KeptBecause(KeepReason.DATA_CATALOG, "catalog " + catalog), p -> false);
      found.add(catalog + " (" + bytes + " bytes added)");
    }
    return found;
  }
}
