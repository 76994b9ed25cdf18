package io.minify.analysis;

import io.minify.image.FileEntry;
import io.minify.image.ImageFilesystem;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Content bytes by directory, a few levels deep: what the HTML report draws as a treemap.
 * With a second image, each node also has the bytes that image keeps at the same paths, so
 * one map shows before and after. Small children are folded into one "(other)" node, so
 * the map stays readable; the bytes still add up.
 *
 * @param path      the directory ("/" for the root), or the parent's path for "(other)"
 * @param name      its last component, "/" or "(other)"
 * @param bytes     content bytes at or below it in the first image
 * @param keptBytes content bytes at or below it in the second image (= bytes without one)
 * @param children  largest first
 */
public record DirectoryTree(String path, String name, long bytes, long keptBytes, List<DirectoryTree> children) {
  private static final int MAX_CHILDREN = 12;
  private static final String OTHER = "(other)";

  public DirectoryTree {
    children = List.copyOf(children);
  }

  /** The tree of one image, {@code depth} directory levels below the root. */
  public static DirectoryTree of(ImageFilesystem fs, int depth) {
    return of(fs, null, depth);
  }

  /** The tree of {@code first} with what {@code second} keeps of each directory. */
  public static DirectoryTree of(ImageFilesystem first, ImageFilesystem second, int depth) {
    Node root = new Node();
    for (FileEntry entry : first.entries()) {
      if (!entry.hasContent()) {
        continue;
      }
      long bytes = XrayAnalysis.contentBytes(entry);
      long kept = second == null ? bytes
          : second.entry(entry.path()).map(XrayAnalysis::contentBytes).orElse(0L);
      root.add(entry.path().parent(), 0, depth, bytes, kept);
    }
    return root.toTree(UnixPath.ROOT, "/");
  }

  /** Sizes summed down a mutable tree while the entries stream by. */
  private static final class Node {
    long bytes;
    long kept;
    final Map<UnixPath, Node> children = new TreeMap<>();

    void add(UnixPath dir, int level, int depth, long fileBytes, long keptBytes) {
      bytes += fileBytes;
      kept += keptBytes;
      if (level >= depth || dir.depth() <= level) {
        return;
      }
      children.computeIfAbsent(dir.prefix(level + 1), p -> new Node()).add(dir, level + 1, depth, fileBytes,
          keptBytes);
    }

    DirectoryTree toTree(UnixPath path, String name) {
      List<Map.Entry<UnixPath, Node>> sorted = children.entrySet().stream()
          .sorted(Comparator.comparingLong((Map.Entry<UnixPath, Node> e) -> e.getValue().bytes).reversed())
          .toList();
      List<DirectoryTree> shown = new ArrayList<>();
      long otherBytes = 0;
      long otherKept = 0;
      for (int i = 0; i < sorted.size(); i++) {
        Map.Entry<UnixPath, Node> child = sorted.get(i);
        if (child.getValue().bytes == 0) {
          continue;
        }
        if (i < MAX_CHILDREN) {
          shown.add(child.getValue().toTree(child.getKey(), UnixPath.display(child.getKey().name())));
        } else {
          otherBytes += child.getValue().bytes;
          otherKept += child.getValue().kept;
        }
      }
      if (otherBytes > 0) {
        shown.add(new DirectoryTree(path.toString(), OTHER, otherBytes, otherKept, List.of()));
      }
      return new DirectoryTree(path.toString(), name, bytes, kept, shown);
    }
  }
}
