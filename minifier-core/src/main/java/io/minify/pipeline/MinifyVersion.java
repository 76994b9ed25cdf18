package io.minify.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build of minify, as the pom says: Maven writes it into
 * {@code minify-version.properties} when it copies the resources, so the version printed,
 * labelled on slim images and written into reports cannot drift from the pom's.
 */
public final class MinifyVersion {

  private static final String RESOURCE = "minify-version.properties";

  private MinifyVersion() {}

  /** "0.1.0-SNAPSHOT", or "unknown" in a class tree the build did not process. */
  public static String current() {
    try (InputStream in = MinifyVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " from the minify jar", e);
    }
  }
}
