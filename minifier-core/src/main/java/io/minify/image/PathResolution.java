package io.minify.image;

import io.minify.path.UnixPath;
import java.util.List;

/**
 * The result of resolving a path inside an image, following symlinks the way the kernel
 * would inside the container (absolute targets are relative to the IMAGE root).
 *
 * @param requested   the path asked for, for messages
 * @param resolved    the final real path (no symlink components); meaningful when {@code exists}
 * @param symlinks    every symlink entry traversed on the way, in order
 * @param exists      whether the final path names an entry of the image
 */
public record PathResolution(String requested, UnixPath resolved, List<UnixPath> symlinks, boolean exists) {
  public PathResolution {
    symlinks = List.copyOf(symlinks);
  }
}
