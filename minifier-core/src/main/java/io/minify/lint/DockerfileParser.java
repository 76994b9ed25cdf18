package io.minify.lint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.lint.Instruction.Flag;
import io.minify.lint.Instruction.Heredoc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile the way BuildKit's parser does: parser directives on the first lines
 * ({@code # syntax=}, {@code # escape=}), comment lines, lines continued with the escape
 * character (comment and blank lines inside a continuation are dropped), heredocs after
 * {@code RUN}, {@code COPY} and {@code ADD} ({@code <<EOF}, {@code <<-EOF}, quoted
 * delimiters, several on one line), flags before the arguments, the JSON (exec) form, and
 * the stages. What the builder refuses is refused here, with its line.
 */
public final class DockerfileParser {

  private static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV",
      "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL");
  /** The instructions whose leading {@code --name[=value]} words are flags. */
  private static final Set<String> WITH_FLAGS = Set.of("FROM", "RUN", "COPY", "ADD", "HEALTHCHECK");
  /** The instructions that take heredocs. */
  private static final Set<String> WITH_HEREDOCS = Set.of("RUN", "COPY", "ADD");
  /** The instructions whose arguments may be a JSON array. */
  private static final Set<String> WITH_EXEC_FORM = Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD",
      "VOLUME", "HEALTHCHECK");
  private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.*?)\\s*$");
  private static final Pattern HEREDOC = Pattern.compile("<<(-?)(?:\"([^\"\\s]+)\"|'([^'\\s]+)'|([A-Za-z0-9_.\\-]+))");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses {@code text}.
   *
   * @throws DockerfileSyntaxException naming the line the builder would refuse
   */
  public Dockerfile parse(String text) throws DockerfileSyntaxException {
    List<String> lines = text.lines().toList();
    int next = 0;
    char escape = '\\';
    Map<String, String> directives = new LinkedHashMap<>();
    // directives: only before anything else; an unknown one is a comment, and ends them
    while (next < lines.size()) {
      Matcher m = DIRECTIVE.matcher(lines.get(next).strip());
      if (!m.matches()) {
        break;
      }
      String name = m.group(1).toLowerCase(Locale.ROOT);
      if (!Set.of("syntax", "escape", "check").contains(name)) {
        break;
      }
      if (directives.put(name, m.group(2)) != null) {
        throw new DockerfileSyntaxException(next + 1, "the parser directive '" + name + "' is given twice");
      }
      if (name.equals("escape")) {
        if (!m.group(2).equals("\\") && !m.group(2).equals("`")) {
          throw new DockerfileSyntaxException(next + 1, "invalid escape character '" + m.group(2)
              + "': it must be \\ or `");
        }
        escape = m.group(2).charAt(0);
      }
      next++;
    }

    List<Instruction> instructions = new ArrayList<>();
    while (next < lines.size()) {
      String first = lines.get(next).strip();
      if (first.isEmpty() || first.startsWith("#")) {
        next++;
        continue;
      }
      int start = next + 1;
      StringBuilder logical = new StringBuilder();
      while (true) {
        String physical = lines.get(next++);
        String trimmed = physical.stripTrailing();
        if (trimmed.isEmpty() || trimmed.charAt(trimmed.length() - 1) != escape) {
          logical.append(physical);
          break;
        }
        logical.append(trimmed, 0, trimmed.length() - 1);
        // inside a continuation, comment lines and blank lines are not part of the instruction
        while (next < lines.size() && (lines.get(next).isBlank() || lines.get(next).strip().startsWith("#"))) {
          next++;
        }
        if (next >= lines.size()) {
          break;
        }
      }
      String[] split = logical.toString().strip().split("\\s+", 2);
      String keyword = split[0].toUpperCase(Locale.ROOT);
      if (!KEYWORDS.contains(keyword)) {
        throw new DockerfileSyntaxException(start, "unknown instruction '" + split[0] + "'");
      }
      String rest = split.length > 1 ? split[1].strip() : "";
      List<Flag> flags = new ArrayList<>();
      if (WITH_FLAGS.contains(keyword)) {
        while (rest.startsWith("--")) {
          String[] word = rest.split("\\s+", 2);
          String flag = word[0].substring(2);
          int eq = flag.indexOf('=');
          if (flag.isEmpty() || eq == 0) {
            throw new DockerfileSyntaxException(start, keyword + ": a flag without a name: '" + word[0] + "'");
          }
          flags.add(eq < 0 ? new Flag(flag, "") : new Flag(flag.substring(0, eq), flag.substring(eq + 1)));
          rest = word.length > 1 ? word[1].strip() : "";
        }
      }
      Optional<List<String>> exec = WITH_EXEC_FORM.contains(keyword) ? execForm(rest) : Optional.empty();
      List<Heredoc> heredocs = new ArrayList<>();
      if (WITH_HEREDOCS.contains(keyword) && exec.isEmpty()) {
        for (HeredocStart opened : heredocStarts(rest, escape)) {
          int bodyLine = next + 1;
          StringBuilder body = new StringBuilder();
          boolean closed = false;
          while (next < lines.size()) {
            String line = lines.get(next++);
            String compared = opened.stripTabs() ? line.replaceFirst("^\t+", "") : line;
            if (compared.equals(opened.delimiter())) {
              closed = true;
              break;
            }
            body.append(compared).append('\n');
          }
          if (!closed) {
            throw new DockerfileSyntaxException(start, keyword + ": the heredoc <<" + opened.delimiter()
                + " is never closed (no line '" + opened.delimiter() + "' after it)");
          }
          heredocs.add(new Heredoc(opened.delimiter(), opened.stripTabs(), opened.quoted(), body.toString(),
              bodyLine));
        }
      }
      if (rest.isEmpty() && !Set.of("RUN", "CMD", "ENTRYPOINT").contains(keyword)) {
        throw new DockerfileSyntaxException(start, keyword + " needs arguments");
      }
      instructions.add(new Instruction(start, keyword, flags, rest, exec, heredocs));
    }
    return stages(instructions, escape, Optional.ofNullable(directives.get("syntax")));
  }

  private static Dockerfile stages(List<Instruction> instructions, char escape, Optional<String> syntax)
      throws DockerfileSyntaxException {
    List<Instruction> globalArgs = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    Map<String, String> argDefaults = new LinkedHashMap<>();
    Instruction from = null;
    String base = null;
    Optional<String> name = Optional.empty();
    List<Instruction> body = new ArrayList<>();
    for (Instruction instruction : instructions) {
      if (instruction.is("FROM")) {
        if (from != null) {
          stages.add(new Stage(stages.size(), from, base, name, body));
        }
        List<String> words = List.of(instruction.arguments().split("\\s+"));
        if (words.size() != 1 && !(words.size() == 3 && words.get(1).equalsIgnoreCase("AS"))) {
          throw new DockerfileSyntaxException(instruction.line(), "FROM takes IMAGE or IMAGE AS NAME, not '"
              + instruction.arguments() + "'");
        }
        from = instruction;
        base = Variables.expand(words.get(0), argDefaults);
        name = words.size() == 3 ? Optional.of(words.get(2)) : Optional.empty();
        body = new ArrayList<>();
      } else if (from == null) {
        if (!instruction.is("ARG")) {
          throw new DockerfileSyntaxException(instruction.line(), instruction.keyword()
              + " before the first FROM (only ARG may come before it)");
        }
        globalArgs.add(instruction);
        for (KeyValue kv : KeyValue.parse(instruction, escape)) {
          argDefaults.put(kv.key(), kv.value().orElse(""));
        }
      } else {
        body.add(instruction);
      }
    }
    if (from == null) {
      throw new DockerfileSyntaxException(Math.max(1, instructions.isEmpty() ? 1
          : instructions.get(instructions.size() - 1).line()), "no FROM instruction");
    }
    stages.add(new Stage(stages.size(), from, base, name, body));
    return new Dockerfile(escape, syntax, globalArgs, stages);
  }

  /** The words of a JSON array of strings; anything else is the shell form, as the builder has it. */
  private static Optional<List<String>> execForm(String arguments) {
    if (!arguments.startsWith("[")) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(arguments);
      if (node == null || !node.isArray()) {
        return Optional.empty();
      }
      List<String> words = new ArrayList<>();
      for (JsonNode word : node) {
        if (!word.isTextual()) {
          return Optional.empty();
        }
        words.add(word.asText());
      }
      return Optional.of(words);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private record HeredocStart(String delimiter, boolean stripTabs, boolean quoted) {}

  /** The heredocs {@code arguments} opens, outside quotes, in order ({@code <<<} is a here-string, not one). */
  private static List<HeredocStart> heredocStarts(String arguments, char escape) {
    List<HeredocStart> starts = new ArrayList<>();
    char quote = 0;
    for (int i = 0; i < arguments.length(); i++) {
      char c = arguments.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == escape && quote == '"') {
          i++;
        }
        continue;
      }
      if (c == escape) {
        i++;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (arguments.startsWith("<<<", i)) {
        i += 2;
      } else if (arguments.startsWith("<<", i)) {
        Matcher m = HEREDOC.matcher(arguments);
        if (m.find(i) && m.start() == i) {
          String quoted = m.group(2) != null ? m.group(2) : m.group(3);
          starts.add(new HeredocStart(quoted != null ? quoted : m.group(4), !m.group(1).isEmpty(), quoted != null));
          i = m.end() - 1;
        } else {
          i++;
        }
      }
    }
    return starts;
  }
}
