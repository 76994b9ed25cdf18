package io.minify.select;

import io.minify.image.FileEntry;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@link KeepUnit#DATA_CATALOGS}: some data is a catalog the app picks one entry of by name
 * at run time: a time zone ({@code SET TIME ZONE 'America/New_York'}, {@code TZ=}), an iconv
 * character set, a terminal description. An app that opened one entry keeps the whole
 * catalog: {@code share/zoneinfo}, {@code gconv} (the iconv modules and their index),
 * {@code terminfo}. Only opening an entry counts (a time zone, an iconv module, a terminal
 * description, told by its magic bytes), not the catalog's index: glibc reads
 * {@code gconv-modules.cache} in every program that sets a locale, which says nothing about
 * charsets the app converts. The zone {@code /etc/localtime} names does count: a program that
 * reads one zone file is one that handles time zones (a database answering {@code AT TIME
 * ZONE 'America/New_York'} opened only its own zone while watched), and the whole zoneinfo
 * catalog is about 1.3 MB.
 */
final class DataCatalogRule implements KeepUnitRule {
  private static final List<String> CATALOG_NAMES = List.of("zoneinfo", "gconv", "terminfo");


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    TreeSet<UnixPath> catalogs = new TreeSet<>();
    for (UnixPath used : ctx.usedInImage()) {
      if (!isCatalogEntry(ctx, used)) {
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
    List<FoundUnit> found = new ArrayList<>();
    for (UnixPath catalog : catalogs) {
      long bytes = ctx.keepTree(catalog, new KeptBecause(KeepReason.DATA_CATALOG, "catalog " + catalog), p -> false);
      found.add(FoundUnit.Kept.of(catalog.toString(), bytes));
    }
    return found;
  }

  /** A compiled time zone ("TZif"), a shared object (an iconv module) or a terminfo entry. */
  private static boolean isCatalogEntry(UnitContext ctx, UnixPath path) {
    byte[] magic = ctx.head(path, 4).orElse(new byte[0]);
    if (magic.length < 2) {
      return false;
    }
    boolean tzif = magic.length == 4 && magic[0] == 'T' && magic[1] == 'Z' && magic[2] == 'i' && magic[3] == 'f';
    boolean elf = magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
    // terminfo: 0432 (legacy) or 01036 (32-bit numbers), little-endian
    boolean terminfo = (magic[0] == 0x1a && magic[1] == 0x01) || (magic[0] == 0x1e && magic[1] == 0x02);
    return tzif || elf || terminfo;
  }
}
