package io.minify.engine.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells from the engine's words whether {@code docker save} failed because of a layer entry
 * that names a path outside the image ({@code ../../evil}). The engine loads such an image: it
 * extracts the entry inside the layer, but remembers the name as it was in the tar, and saving
 * re-reads each file by that name. So the save fails in one of two ways (measured on Docker
 * 20.10 to 26, overlay2):
 * <ul>
 *   <li>the name leads to nothing: {@code open /var/lib/docker/overlay2/evil: no such file or
 *       directory}, a path outside every layer directory of the image;
 *   <li>the name leads to a host file: {@code file integrity checksum failed for
 *       "../../../../etc/hostname"} (its bytes are not the entry's).
 * </ul>
 * Anything else is the engine's own trouble.
 */
final class SaveRefusal {
  private static final Pattern MISSING = Pattern.compile("^open (/\\S*): no such file or directory$");
  private static final Pattern CHECKSUM = Pattern.compile("^file integrity checksum failed for \"(.*)\"$");

  private SaveRefusal() {}

  /**
   * The entry outside the image that made the save fail, as it is named in its layer.
   *
   * @param engineMessage the engine's message, on one line
   * @param layerDirs     the image's layer directories on the engine's host (overlay2's
   *                      {@code UpperDir} and {@code LowerDir}); none for other drivers
   */
  static Optional<String> entryOutsideTheImage(String engineMessage, List<Path> layerDirs) {
    Matcher checksum = CHECKSUM.matcher(engineMessage);
    if (checksum.matches() && climbsOut(checksum.group(1))) {
      return Optional.of(checksum.group(1));
    }
    Matcher missing = MISSING.matcher(engineMessage);
    if (!missing.matches() || layerDirs.isEmpty()) {
      return Optional.empty();
    }
    Path opened = Path.of(missing.group(1)).normalize();
    if (layerDirs.stream().anyMatch(opened::startsWith)) {
      return Optional.empty(); // a file of the image that is gone: the engine's storage is damaged
    }
    // every layer directory is as deep as the others: the name is the same from each of them
    return Optional.of(layerDirs.get(0).relativize(opened).toString());
  }

  private static boolean climbsOut(String name) {
    return List.of(name.split("/")).contains("..");
  }
}
