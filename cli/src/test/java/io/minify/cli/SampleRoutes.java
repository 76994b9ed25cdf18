package io.minify.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The routes a sample app declares in its routes.txt: {@code METHOD PATH STATUS WORD [volatile]}.
 */
record SampleRoutes(List<Route> routes) {

  record Route(String method, String path, int status, String word, boolean volatileBody) {
    String probeCommand() {
      return method + ":" + path;
    }
  }

  static Path sampleDir(String app) {
    // failsafe runs in the module directory; the samples are a sibling module
    return Path.of("..", "sample-apps", app).toAbsolutePath().normalize();
  }

  static SampleRoutes of(String app) throws IOException {
    List<Route> routes = Files.readAllLines(sampleDir(app).resolve("routes.txt")).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .map(l -> l.split("\\s+"))
        .map(f -> new Route(f[0], f[1], Integer.parseInt(f[2]), f.length > 3 ? f[3] : "",
            f.length > 4 && f[4].equals("volatile")))
        .toList();
    return new SampleRoutes(routes);
  }
}
