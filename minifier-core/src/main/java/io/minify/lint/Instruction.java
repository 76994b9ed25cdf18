package io.minify.lint;

import java.util.List;
import java.util.Optional;

/**
 * One instruction of a Dockerfile as the builder reads it: its keyword, the flags before its
 * arguments, the arguments (continuations joined, comment lines inside them dropped), the
 * exec (JSON) form when the arguments are one, and the bodies of its heredocs.
 *
 * @param line      the line the instruction starts on (1 = the first line of the file)
 * @param keyword   upper case: {@code RUN}, {@code COPY}, ...
 * @param flags     the {@code --name=value} words before the arguments, in order
 * @param arguments the text after the flags, as one line
 * @param execForm  the words of a JSON array argument ({@code ["node", "server.js"]}), else empty
 * @param heredocs  the here-documents the arguments open, in the order they open them
 */
public record Instruction(int line, String keyword, List<Flag> flags, String arguments,
    Optional<List<String>> execForm, List<Heredoc> heredocs) {

  public Instruction {
    flags = List.copyOf(flags);
    execForm = execForm.map(List::copyOf);
    heredocs = List.copyOf(heredocs);
  }

  /** The value of the first flag called {@code name} (without its dashes), if given. */
  public Optional<String> flag(String name) {
    return flags.stream().filter(f -> f.name().equals(name)).map(Flag::value).findFirst();
  }

  /** Every value of the flags called {@code name}: {@code --mount} may come several times. */
  public List<String> flags(String name) {
    return flags.stream().filter(f -> f.name().equals(name)).map(Flag::value).toList();
  }

  public boolean is(String keyword) {
    return this.keyword.equals(keyword);
  }

  /**
   * A flag before the arguments: {@code --from=build} is ("from", "build"); a bare flag such
   * as {@code --link} has the value "".
   */
  public record Flag(String name, String value) {}

  /**
   * A here-document: {@code <<EOF} ... {@code EOF}.
   *
   * @param delimiter  the word that ends it
   * @param stripTabs  {@code <<-}: leading tabs are removed from its lines
   * @param quoted     the delimiter was quoted: the body is not expanded
   * @param body       its lines, each ending with a newline
   * @param line       the line its body starts on
   */
  public record Heredoc(String delimiter, boolean stripTabs, boolean quoted, String body, int line) {}
}
