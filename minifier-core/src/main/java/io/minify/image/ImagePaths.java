package io.minify.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Lexical helpers for absolute image paths ("/", "/usr/bin/env"). Image paths are never
 * host paths: these helpers only manipulate strings, they never touch a filesystem.
 */
public final class ImagePaths {
  private ImagePaths() {}

  /**
   * Normalizes a tar entry name or hardlink target to an absolute path: strips "./" and
   * leading/trailing "/", collapses "//" and "." components.
   *
   * @return the normalized path, or null when a component is ".." (the caller rejects it)
   */
  public static String normalizeEntryName(String name) {
    StringBuilder normalized = new StringBuilder(name.length() + 1);
    for (String component : name.split("/")) {
      if (component.isEmpty() || component.equals(".")) {
        continue;
      }
      if (component.equals("..")) {
        return null;
      }
      normalized.append('/').append(component);
    }
    return normalized.length() == 0 ? "/" : normalized.toString();
  }

  /** The non-empty components of a path, "." and ".." kept as they are. */
  public static List<String> components(String path) {
    List<String> components = new ArrayList<>();
    for (String component : path.split("/")) {
      if (!component.isEmpty()) {
        components.add(component);
      }
    }
    return components;
  }

  /** The parent of a normalized absolute path; "/" for "/" itself and top-level entries. */
  public static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The last component of a normalized absolute path ("" for "/"). */
  public static String fileNameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code dir + "/" + name} without doubling the slash of the root. */
  public static String childOf(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  /** Whether {@code path} is {@code ancestor} itself or lies below it. */
  public static boolean isSameOrBelow(String path, String ancestor) {
    if (ancestor.equals("/")) {
      return true;
    }
    return path.equals(ancestor) || (path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/');
  }
}
