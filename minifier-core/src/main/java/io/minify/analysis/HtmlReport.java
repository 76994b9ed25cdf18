package io.minify.analysis;

import io.minify.report.BuildReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One self-contained HTML page for xray or diff: inline CSS and an inline SVG treemap drawn
 * here, no script and nothing fetched, readable on a phone (the SVG scales, the tables
 * scroll) and on a wide screen. Deterministic: the same analysis gives the same page.
 */
public final class HtmlReport {
  private static final double WIDTH = 1000;
  private static final double HEIGHT = 560;
  private static final double LABEL_MIN_WIDTH = 60;
  private static final double LABEL_MIN_HEIGHT = 16;

  /**
   * Directory levels below the root that the pages' treemaps show. Three name where the bytes
   * are ({@code /usr/lib/x86_64-linux-gnu}); each level splits a box into up to 12 (see
   * {@link DirectoryTree}), so a fourth would mostly draw boxes too small for a label on the
   * 1000 x 560 map and only make the page bigger.
   */
  public static final int TREEMAP_DEPTH = 3;

  private HtmlReport() {}

  /** The page of {@code minify xray}: treemap by directory, layers, kinds, largest files, packages. */
  public static String xray(ImageXray x, DirectoryTree tree) {
    Page page = new Page("minify xray: " + x.image());
    page.paragraph(x.image() + " (" + x.source() + ", " + x.os() + "/" + x.architecture() + "), " + x.imageId());
    page.paragraph(ByteSize.format(x.totals().layerBytes()) + " in " + x.layers().size() + " layers; "
        + ByteSize.format(x.totals().contentBytes()) + " in " + x.totals().files() + " files; efficiency "
        + String.format(Locale.ROOT, "%.4f", x.efficiency().score()) + ", "
        + ByteSize.format(x.efficiency().wastedBytes()) + " wasted");
    page.heading("Directories");
    page.treemap(tree, false);
    page.heading("Layers");
    List<List<String>> layers = new ArrayList<>();
    for (ImageXray.Layer l : x.layers()) {
      layers.add(List.of(String.valueOf(l.index()), ByteSize.format(l.bytes()), String.valueOf(l.entries()),
          ByteSize.format(l.wastedBytes()), l.createdBy()));
    }
    page.table("layers", List.of("#", "size", "entries", "wasted", "created by"), layers);
    page.heading("By kind");
    List<List<String>> kinds = new ArrayList<>();
    for (ImageXray.KindTotal k : x.byKind()) {
      kinds.add(List.of(k.kind().label(), String.valueOf(k.files()), ByteSize.format(k.bytes())));
    }
    page.table("kinds", List.of("kind", "files", "bytes"), kinds);
    page.heading("Largest files");
    List<List<String>> files = new ArrayList<>();
    for (ImageXray.SizedPath f : x.largestFiles()) {
      files.add(List.of(ByteSize.format(f.bytes()), f.path()));
    }
    page.table("largest-files", List.of("bytes", "path"), files);
    page.heading("Packages (" + (x.packages().manager().isEmpty() ? "none" : x.packages().manager()) + ")");
    List<List<String>> packages = new ArrayList<>();
    for (ImageXray.PackageRow p : x.packages().list()) {
      packages.add(List.of(p.name(), p.version(), String.valueOf(p.files()), ByteSize.format(p.contentBytes())));
    }
    page.table("packages", List.of("package", "version", "files", "bytes"), packages);
    return page.finish();
  }

  /** The page of {@code minify diff}: A's treemap coloured by what B keeps, directories, packages, files. */
  public static String diff(ImageDiff d, DirectoryTree tree) {
    return diffPage(new Page("minify diff: " + d.a().image() + " vs " + d.b().image()), d, tree).finish();
  }

  /** The page of {@code minify build}: the diff of original and slim, then the probes and the stage timings. */
  public static String build(BuildReport report, ImageDiff d, DirectoryTree tree) {
    Page page = diffPage(new Page("minify build: " + report.image() + " -> " + report.slimImage()), d, tree);
    page.heading("Probes (" + report.probes().stream().filter(BuildReport.ProbeRecord::matches).count() + " of "
        + report.probes().size() + " answered the same)");
    List<List<String>> probes = new ArrayList<>();
    for (BuildReport.ProbeRecord p : report.probes()) {
      probes.add(List.of(p.probe(), p.kind(), String.valueOf(p.originalStatus()), String.valueOf(p.slimStatus()),
          p.matches() ? "same" : "different: " + p.difference()));
    }
    page.table("probes", List.of("probe", "kind", "original", "slim", "result"), probes);
    page.heading("Stages (" + report.totalMillis() + " ms in all)");
    List<List<String>> stages = new ArrayList<>();
    for (BuildReport.StageTiming t : report.stages()) {
      stages.add(List.of(t.stage(), String.valueOf(t.millis()), t.summary()));
    }
    page.table("stages", List.of("stage", "ms", "summary"), stages);
    return page.finish();
  }

  private static Page diffPage(Page page, ImageDiff d, DirectoryTree tree) {
    page.paragraph("A " + d.a().image() + ": " + ByteSize.format(d.a().layerBytes()) + ", " + d.a().files()
        + " files. B " + d.b().image() + ": " + ByteSize.format(d.b().layerBytes()) + ", " + d.b().files()
        + " files. Ratio " + String.format(Locale.ROOT, "%.2f", d.ratio()) + "x.");
    page.heading("Before and after, by directory");
    page.paragraph("Each area is a directory's bytes in A; green is the part B keeps, grey what it drops.");
    page.treemap(tree, true);
    page.heading("Top-level directories");
    List<List<String>> dirs = new ArrayList<>();
    for (ImageDiff.DirectoryChange c : d.byTopDirectory()) {
      if (c.bytesInA() == 0 && c.bytesInB() == 0) {
        continue; // empty mount points (/proc, /sys, /mnt): the JSON has them, the page need not
      }
      dirs.add(List.of(c.path(), ByteSize.format(c.bytesInA()), ByteSize.format(c.bytesInB())));
    }
    page.table("directories", List.of("directory", "in A", "in B"), dirs);
    page.heading("Packages (" + d.packages().keptWhole() + " kept whole, " + d.packages().keptInPart() + " in part, "
        + d.packages().dropped() + " dropped)");
    List<List<String>> packages = new ArrayList<>();
    for (ImageDiff.PackageChange p : d.packages().list()) {
      packages.add(List.of(p.name(), p.version(), p.state().label(), p.keptFiles() + "/" + p.files(),
          ByteSize.format(p.keptBytes()) + " of " + ByteSize.format(p.bytes())));
    }
    page.table("packages", List.of("package", "version", "state", "files kept", "bytes kept"), packages);
    page.heading("Biggest kept files");
    List<List<String>> kept = new ArrayList<>();
    for (ImageDiff.KeptFile k : d.biggestKept()) {
      kept.add(List.of(ByteSize.format(k.bytes()), k.path(), k.reason(), k.detail()));
    }
    page.table("biggest-kept", List.of("bytes", "path", "reason", "detail"), kept);
    page.heading("Biggest dropped trees");
    List<List<String>> dropped = new ArrayList<>();
    for (ImageXray.DirectoryTotal t : d.droppedTrees()) {
      dropped.add(List.of(ByteSize.format(t.bytes()), t.path(), String.valueOf(t.files())));
    }
    page.table("dropped-trees", List.of("bytes", "directory", "files"), dropped);
    return page;
  }

  /** The HTML being written, with text always escaped. */
  private static final class Page {
    private final StringBuilder html = new StringBuilder(1 << 16);

    Page(String title) {
      html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .append("<title>").append(escape(title)).append("</title>\n<style>\n")
          .append("body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:1200px;color:#222}\n")
          .append("h1{font-size:1.4rem;word-break:break-all}h2{font-size:1.1rem;margin-top:1.6rem}\n")
          .append("svg{width:100%;height:auto;display:block;border:1px solid #ccc}\n")
          .append("svg text{font-size:12px;fill:#111;pointer-events:none}\n")
          .append(".scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.9rem;min-width:100%}\n")
          .append("th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}\n")
          .append("td{word-break:break-word}th{background:#f4f4f4}\n")
          .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
    }

    void heading(String text) {
      html.append("<h2>").append(escape(text)).append("</h2>\n");
    }

    void paragraph(String text) {
      html.append("<p>").append(escape(text)).append("</p>\n");
    }

    void table(String id, List<String> header, List<List<String>> rows) {
      html.append("<div class=\"scroll\"><table id=\"").append(id).append("\">\n<thead><tr>");
      header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
      html.append("</tr></thead>\n<tbody>\n");
      for (List<String> row : rows) {
        html.append("<tr>");
        row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
        html.append("</tr>\n");
      }
      html.append("</tbody></table></div>\n");
    }

    void treemap(DirectoryTree tree, boolean showKept) {
      html.append(String.format(Locale.ROOT, "<svg id=\"treemap\" viewBox=\"0 0 %.0f %.0f\" role=\"img\""
          + " aria-label=\"treemap by directory\" xmlns=\"http://www.w3.org/2000/svg\">\n", WIDTH, HEIGHT));
      layout(tree.children(), new Box(0, 0, WIDTH, HEIGHT), 0, showKept);
      html.append("</svg>\n");
    }

    /** Squarified layout: rows of children laid along the shorter side, each row as square as it gets. */
    private void layout(List<DirectoryTree> nodes, Box box, int depth, boolean showKept) {
      double total = nodes.stream().mapToLong(DirectoryTree::bytes).sum();
      if (total <= 0 || box.w() < 1 || box.h() < 1) {
        return;
      }
      double scale = box.w() * box.h() / total;
      Box rest = box;
      int i = 0;
      while (i < nodes.size()) {
        boolean horizontal = rest.w() >= rest.h();
        double side = horizontal ? rest.h() : rest.w();
        int end = i + 1;
        double rowArea = nodes.get(i).bytes() * scale;
        double worst = worst(nodes, i, end, rowArea, side, scale);
        while (end < nodes.size()) {
          double area = rowArea + nodes.get(end).bytes() * scale;
          double next = worst(nodes, i, end + 1, area, side, scale);
          if (next > worst) {
            break;
          }
          worst = next;
          rowArea = area;
          end++;
        }
        double thickness = rowArea / side;
        double offset = 0;
        for (int k = i; k < end; k++) {
          double length = nodes.get(k).bytes() * scale / thickness;
          Box cell = horizontal ? new Box(rest.x(), rest.y() + offset, thickness, length)
              : new Box(rest.x() + offset, rest.y(), length, thickness);
          draw(nodes.get(k), cell, depth, showKept);
          offset += length;
        }
        rest = horizontal ? new Box(rest.x() + thickness, rest.y(), rest.w() - thickness, rest.h())
            : new Box(rest.x(), rest.y() + thickness, rest.w(), rest.h() - thickness);
        i = end;
      }
    }

    private static double worst(List<DirectoryTree> nodes, int from, int to, double area, double side, double scale) {
      double thickness = area / side;
      double worst = 0;
      for (int k = from; k < to; k++) {
        double length = nodes.get(k).bytes() * scale / thickness;
        worst = Math.max(worst, Math.max(length / thickness, thickness / length));
      }
      return worst;
    }

    private void draw(DirectoryTree node, Box cell, int depth, boolean showKept) {
      String label = node.name().equals("(other)") ? node.path() + " (other)" : node.path();
      String title = label + ": " + ByteSize.format(node.bytes())
          + (showKept ? ", kept " + ByteSize.format(node.keptBytes()) : "");
      html.append(String.format(Locale.ROOT, "<g class=\"dir\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
          + " height=\"%.1f\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"%d\"><title>%s</title></rect>",
          cell.x(), cell.y(), cell.w(), cell.h(), colour(node, depth, showKept), depth == 0 ? 2 : 1, escape(title)));
      boolean labelled = cell.w() >= LABEL_MIN_WIDTH && cell.h() >= LABEL_MIN_HEIGHT;
      if (labelled) {
        html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", cell.x() + 3,
            cell.y() + 13, escape(clip(node.name() + " " + ByteSize.format(node.bytes()), cell.w()))));
      }
      html.append("</g>\n");
      if (!node.children().isEmpty() && cell.w() > 20 && cell.h() > 30) {
        // children below the label line, inset so the parent stays visible around them
        layout(node.children(), new Box(cell.x() + 2, cell.y() + (labelled ? 16 : 2), cell.w() - 4,
            cell.h() - (labelled ? 18 : 4)), depth + 1, showKept);
      }
    }

    private static String colour(DirectoryTree node, int depth, boolean showKept) {
      if (showKept) {
        double kept = node.bytes() == 0 ? 0 : Math.min(1.0, (double) node.keptBytes() / node.bytes());
        // grey (dropped) to green (kept); deeper levels slightly lighter
        int r = (int) Math.round(190 - 150 * kept) + depth * 12;
        int g = (int) Math.round(190 + 10 * kept) + depth * 8;
        int b = (int) Math.round(190 - 130 * kept) + depth * 12;
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.min(r, 255), Math.min(g, 255), Math.min(b, 255));
      }
      String[] shades = {"#7aa6d6", "#a3c2e4", "#c8dbf0", "#e2ecf7"};
      return shades[Math.min(depth, shades.length - 1)];
    }

    private static String clip(String text, double width) {
      int fits = (int) (width / 7);
      return text.length() <= fits ? text : text.substring(0, Math.max(0, fits - 1)) + "\u2026";
    }

    String finish() {
      html.append("<p><small>Written by minify; this page loads nothing from the network.</small></p>\n")
          .append("</body>\n</html>\n");
      return html.toString();
    }
  }

  private record Box(double x, double y, double w, double h) {}

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
