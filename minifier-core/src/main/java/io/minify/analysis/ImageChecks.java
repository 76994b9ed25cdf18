package io.minify.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.minify.analysis.ImageXray.Check;
import io.minify.lint.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks of {@code minify lint} that an image alone can answer, gathered while
 * {@link XrayAnalysis} reads each layer's headers: whether the config runs as root, which
 * layers hold package-manager caches (their bytes stay in that layer even when a later
 * layer deletes them), and which layers lose bytes to later layers.
 */
final class ImageChecks {
  /** A layer's waste below this is an info: a config file rewritten, not a build left behind. */
  static final long WASTE_WARNING_BYTES = 1L << 20;
  private static final Pattern ROOT = Pattern.compile("(|root|0)(:.*)?");

  /** The package-manager caches a layer can hold, by where they live. */
  enum Cache {
    APT_LISTS("apt package lists", Pattern.compile("/var/lib/apt/lists/(?!lock$)(?!partial/?$).+"),
        "end the RUN that runs apt-get update with && rm -rf /var/lib/apt/lists/*"),
    APT_ARCHIVES("apt package files", Pattern.compile("/var/cache/apt/([^/]+\\.bin|archives/[^/]+\\.deb)"),
        "end the RUN that runs apt-get install with && apt-get clean && rm -rf /var/lib/apt/lists/*"),
    PIP("the pip cache", Pattern.compile("/root/\\.cache/pip/.+"), "use pip install --no-cache-dir"),
    NPM("the npm cache", Pattern.compile("/root/\\.npm/.+"), "end the RUN with && npm cache clean --force"),
    YARN("the yarn cache", Pattern.compile("/usr/local/share/\\.cache/yarn/.+"), "end the RUN with && yarn cache clean"),
    APK("the apk cache", Pattern.compile("/var/cache/apk/.+"), "use apk add --no-cache"),
    DNF("the dnf/yum cache", Pattern.compile("/var/cache/(dnf|yum)/.+"), "end the RUN with && dnf clean all");

    private final String label;
    private final Pattern path;
    private final String fix;

    Cache(String label, Pattern path, String fix) {
      this.label = label;
      this.path = path;
      this.fix = fix;
    }

    static Cache of(String path) {
      for (Cache cache : values()) {
        if (cache.path.matcher(path).matches()) {
          return cache;
        }
      }
      return null;
    }
  }

  private final List<Check> caches = new ArrayList<>();
  private final List<Check> waste = new ArrayList<>();

  /** The cache files of one layer: call for every regular file of the layer, then {@link #endLayer}. */
  private final Map<Cache, long[]> layerCaches = new EnumMap<>(Cache.class);

  void file(String path, long bytes) {
    Cache cache = Cache.of(path);
    if (cache != null && bytes > 0) {
      long[] figures = layerCaches.computeIfAbsent(cache, c -> new long[2]);
      figures[0] += bytes;
      figures[1]++;
    }
  }

  void endLayer(int index, String createdBy, long wastedBytes, String mostWasted) {
    layerCaches.forEach((cache, figures) -> caches.add(new Check("cache-in-layer", Level.WARNING, index, figures[0],
        "layer " + index + " holds " + ByteSize.format(figures[0]) + " of " + cache.label + " (" + figures[1]
            + " files)" + (createdBy.isEmpty() ? "" : ", left by: " + clip(createdBy))
            + "; deleting them in a later layer would not take them out of this one",
        cache.fix + ", or keep the cache out of the image with RUN --mount=type=cache")));
    layerCaches.clear();
    if (wastedBytes > 0) {
      waste.add(new Check("wasted-in-layer", wastedBytes >= WASTE_WARNING_BYTES ? Level.WARNING : Level.INFO, index,
          wastedBytes, "later layers overwrite or delete " + ByteSize.format(wastedBytes) + " of layer " + index
              + " (the most: " + mostWasted + "); the image still ships them",
          "delete or change those files in the same RUN that creates them (or build them in another stage and"
              + " COPY --from only the result)"));
    }
  }

  /** Every check, root first, then caches and waste, each largest first. */
  List<Check> checks(JsonNode config) {
    List<Check> checks = new ArrayList<>();
    String user = config.path("config").path("User").asText("");
    if (ROOT.matcher(user.strip()).matches()) {
      checks.add(new Check("root-user", Level.WARNING, null, 0, user.isBlank()
          ? "the image sets no user: its processes run as root" : "the image runs as root (User " + user + ")",
          "create a user in the Dockerfile and end with USER <name or uid>"));
    }
    Comparator<Check> largest = Comparator.comparingLong(Check::bytes).reversed().thenComparing(Check::layer);
    caches.stream().sorted(largest).forEach(checks::add);
    waste.stream().sorted(largest).forEach(checks::add);
    return checks;
  }

  private static String clip(String createdBy) {
    String line = createdBy.replace('\n', ' ').strip();
    return line.length() <= 100 ? line : line.substring(0, 97) + "...";
  }
}
