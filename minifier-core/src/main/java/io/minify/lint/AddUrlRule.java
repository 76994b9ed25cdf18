package io.minify.lint;

import java.util.ArrayList;
import java.util.List;

/** {@code ADD} of a URL: the download is not checked, not cached by content, and stays whole in its layer. */
final class AddUrlRule implements LintRule {
  @Override
  public String id() {
    return "add-url";
  }

  @Override
  public Level level() {
    return Level.WARNING;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    List<Finding> found = new ArrayList<>();
    for (Instruction add : target.dockerfile().instructions()) {
      if (!add.is("ADD")) {
        continue;
      }
      for (String source : CopySources.of(add, target.dockerfile().escape())) {
        if (source.matches("(?i)(https?|git|ssh)://.*") || source.matches("git@.*")) {
          found.add(finding(add.line(), "ADD " + source + " downloads at build time: nothing verifies the"
              + " file, and an archive stays packed in the layer beside whatever is extracted from it",
              "RUN curl -fsSLo file URL && echo 'SHA256  file' | sha256sum -c && (extract) && rm file, in one RUN;"
                  + " or ADD --checksum=sha256:... URL"));
          break;
        }
      }
    }
    return found;
  }
}
