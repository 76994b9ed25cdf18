package io.minify.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The build context has no {@code .dockerignore}, or one that lets {@code .git} or
 * {@code node_modules} through: the whole tree is sent to the builder, and a
 * {@code COPY . .} puts it in the image. A name the Dockerfile copies on purpose
 * ({@code COPY node_modules ...}) need not be excluded.
 */
final class DockerIgnoreRule implements LintRule {
  private static final List<String> EXCLUDED = List.of(".git", "node_modules");

  @Override
  public String id() {
    return "dockerignore";
  }

  @Override
  public Level level() {
    return Level.WARNING;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    if (target.dockerignore().isEmpty()) {
      return List.of(finding(0, "the build context has no .dockerignore: everything in it (.git, node_modules,"
          + " local builds, secrets) is sent to the builder and COPY . takes it", "add a .dockerignore next to the"
          + " Dockerfile that excludes at least .git and node_modules"));
    }
    List<String> copied = copiedOnPurpose(target);
    List<Finding> found = new ArrayList<>();
    for (String name : EXCLUDED) {
      if (!copied.contains(name) && !excludes(target.dockerignore().get(), name)) {
        found.add(finding(0, ".dockerignore does not exclude " + name + ": it is sent to the builder and COPY ."
            + " puts it in the image", "add the line " + name + " to .dockerignore"));
      }
    }
    return found;
  }

  /** The names of {@link #EXCLUDED} some COPY or ADD names as a path component of a source. */
  private static List<String> copiedOnPurpose(LintTarget target) {
    List<String> copied = new ArrayList<>();
    for (Instruction instruction : target.dockerfile().instructions()) {
      if ((instruction.is("COPY") || instruction.is("ADD")) && instruction.flag("from").isEmpty()) {
        for (String source : CopySources.of(instruction, target.dockerfile().escape())) {
          for (String part : source.split("/")) {
            if (EXCLUDED.contains(part)) {
              copied.add(part);
            }
          }
        }
      }
    }
    return copied;
  }

  /** Whether the patterns exclude {@code name} at the top of the context: the last matching line decides. */
  static boolean excludes(List<String> lines, String name) {
    boolean excluded = false;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean include = line.startsWith("!");
      String pattern = include ? line.substring(1).strip() : line;
      while (pattern.startsWith("/")) {
        pattern = pattern.substring(1);
      }
      while (pattern.startsWith("./")) {
        pattern = pattern.substring(2);
      }
      while (pattern.endsWith("/") && pattern.length() > 1) {
        pattern = pattern.substring(0, pattern.length() - 1);
      }
      if (glob(pattern).matcher(name).matches()) {
        excluded = !include;
      }
    }
    return excluded;
  }

  /** A .dockerignore pattern as a regex: {@code **} any path, {@code *} and {@code ?} within a name. */
  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (pattern.startsWith("**/", i)) {
        regex.append("(?:.*/)?");
        i += 2;
      } else if (pattern.startsWith("**", i)) {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else if (c == '[') {
        int close = pattern.indexOf(']', i);
        if (close < 0) {
          regex.append("\\[");
        } else {
          regex.append(pattern, i, close + 1);
          i = close;
        }
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
