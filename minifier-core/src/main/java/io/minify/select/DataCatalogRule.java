package io.minify.select;

import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.PathResolution;
import io.minify.path.UnixPath;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@link KeepUnit#DATA_CATALOGS}: some data is a catalog the app picks one entry of by name
 * at run time: a time zone ({@code SET TIME ZONE 'America/New_York'}, {@code TZ=}), an iconv
 * character set, a terminal description. An app that opened one entry keeps the whole
 * catalog: {@code share/zoneinfo}, {@code gconv} (the iconv modules and their index),
 * {@code terminfo}. The entry the image itself names from /etc (its {@code /etc/localtime}
 * link, read by every program that formats a local time) is a choice made for the app, not
 * one the app makes, so opening it alone keeps no catalog.
 */
final class DataCatalogRule implements KeepUnitRule {
  private static final List<String> CATALOG_NAMES = List.of("zoneinfo", "gconv", "terminfo");
  private static final UnixPath ETC = UnixPath.of("/etc");

  @Override
  public KeepUnit unit() {
    return KeepUnit.DATA_CATALOGS;
  }

  @Override
  public List<String> apply(UnitContext ctx) {
    TreeSet<UnixPath> catalogs = new TreeSet<>();
    Set<UnixPath> configured = configuredEntries(ctx);
    for (UnixPath used : ctx.usedInImage()) {
      if (configured.contains(used)) {
        continue;
      }
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

  /** What the image's own links directly in /etc point to ({@code /etc/localtime}). */
  private static Set<UnixPath> configuredEntries(UnitContext ctx) {
    Set<UnixPath> configured = new HashSet<>();
    for (FileEntry e : ctx.fs().below(ETC)) {
      if (e.type() == EntryType.SYMLINK && e.path().parent().equals(ETC)) {
        PathResolution r = ctx.fs().resolve(e.path());
        if (r.exists()) {
          configured.add(r.resolved());
        }
      }
    }
    return configured;
  }
}
