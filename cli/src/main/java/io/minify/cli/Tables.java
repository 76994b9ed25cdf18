package io.minify.cli;

import io.minify.analysis.ByteSize;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Small helpers for the analysis tables: a titled list of sized rows, clipped text. */
final class Tables {

  record Row(String label, long bytes) {}

  private Tables() {}

  static void sizedRows(PrintWriter out, String title, List<Row> rows) {
    out.println();
    out.println(title);
    for (Row row : rows) {
      out.printf(Locale.ROOT, "  %12s  %s%n", ByteSize.format(row.bytes()), row.label());
    }
  }

  static String clip(String text, int width) {
    String oneLine = text.replace('\n', ' ').replace('\t', ' ');
    return oneLine.length() <= width ? oneLine : oneLine.substring(0, width - 3) + "...";
  }
}
