package io.minify.select;

/**
 * Why one path the user asked about ({@code --explain}) is in the slim image or not.
 *
 * @param path    the path as asked
 * @param kept    whether the slim image has it
 * @param verdict one line: "kept: observed", "dropped: matched --exclude-pattern 1 (...)",
 *                "dropped: not observed and no rule keeps it", "not in the image"
 */
public record Explanation(String path, boolean kept, String verdict) {

  @Override
  public String toString() {
    return path + ": " + verdict;
  }
}
