package io.minify.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The simple commands of a {@code RUN}: its shell form split at the shell's operators
 * ({@code &&}, {@code ||}, {@code ;}, {@code |}, {@code &}, line ends, parentheses),
 * redirections and comments dropped; its exec form as one command, or as the script of
 * {@code sh -c}; and the heredocs a shell reads as its script ({@code RUN <<EOF},
 * {@code RUN bash <<EOF}). Nothing is expanded: lint reads what the file says.
 */
public final class ShellScript {
  private static final Set<String> SHELLS = Set.of("sh", "bash", "ash", "dash", "zsh", "ksh");
  private static final Set<String> KEYWORDS = Set.of("if", "then", "else", "elif", "fi", "do", "done", "while",
      "until", "!", "{", "}", "time");
  private static final Set<String> WRAPPERS = Set.of("sudo", "env", "exec", "command", "nohup", "nice", "su-exec",
      "gosu", "eatmydata");
  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
  private static final String SEPARATOR = "\0";

  private ShellScript() {}

  /** The commands {@code run} (a {@code RUN}) executes. */
  public static List<ShellCommand> of(Instruction run) {
    if (run.execForm().isPresent()) {
      List<String> argv = run.execForm().get();
      ShellCommand command = command(argv);
      if (SHELLS.contains(command.program()) && command.arguments().size() >= 2
          && command.arguments().get(0).equals("-c")) {
        return parse(command.arguments().get(1));
      }
      return command.words().isEmpty() ? List.of() : List.of(command);
    }
    List<ShellCommand> commands = new ArrayList<>(parse(run.arguments()));
    boolean bodiesAreScripts = commands.isEmpty()
        || commands.stream().allMatch(c -> SHELLS.contains(c.program()));
    if (bodiesAreScripts) {
      for (Instruction.Heredoc heredoc : run.heredocs()) {
        commands.addAll(parse(heredoc.body()));
      }
    }
    return commands;
  }

  /** The simple commands of a shell script. */
  public static List<ShellCommand> parse(String script) {
    List<ShellCommand> commands = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean dropNext = false; // the word after a redirection is its target
    int i = 0;
    while (i < script.length()) {
      char c = script.charAt(i);
      if (c == '\\' && i + 1 < script.length()) {
        if (script.charAt(i + 1) != '\n') {
          word.append(script.charAt(i + 1));
          inWord = true;
        }
        i += 2;
        continue;
      }
      if (c == '\'' || c == '"') {
        int end = i + 1;
        while (end < script.length() && script.charAt(end) != c) {
          if (c == '"' && script.charAt(end) == '\\' && end + 1 < script.length()) {
            end++;
          }
          word.append(script.charAt(end));
          end++;
        }
        inWord = true;
        i = end + 1;
        continue;
      }
      boolean blank = c == ' ' || c == '\t';
      boolean operator = c == '&' || c == '|' || c == ';' || c == '\n' || c == '(' || c == ')';
      boolean redirection = c == '<' || c == '>';
      if (c == '#' && !inWord) {
        while (i < script.length() && script.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (blank || operator || redirection) {
        if (inWord) {
          String done = word.toString();
          word.setLength(0);
          inWord = false;
          if (redirection && done.matches("[0-9]+")) {
            // 2> file: the descriptor belongs to the redirection
          } else if (dropNext) {
            dropNext = false;
          } else {
            words.add(done);
          }
        }
        if (operator) {
          words.add(SEPARATOR);
          dropNext = false;
        }
        if (redirection) {
          while (i + 1 < script.length() && "<>&-|".indexOf(script.charAt(i + 1)) >= 0) {
            i++;
          }
          dropNext = true;
        }
        i++;
        continue;
      }
      word.append(c);
      inWord = true;
      i++;
    }
    if (inWord && !dropNext) {
      words.add(word.toString());
    }
    List<String> current = new ArrayList<>();
    for (String w : words) {
      if (w.equals(SEPARATOR)) {
        add(commands, current);
        current = new ArrayList<>();
      } else {
        current.add(w);
      }
    }
    add(commands, current);
    return commands;
  }

  private static void add(List<ShellCommand> commands, List<String> words) {
    ShellCommand command = command(words);
    if (!command.words().isEmpty()) {
      commands.add(command);
    }
  }

  /** The command {@code words} run, with the assignments, wrappers and keywords in front taken off. */
  private static ShellCommand command(List<String> words) {
    Map<String, String> assignments = new LinkedHashMap<>();
    int start = 0;
    while (start < words.size()) {
      String w = words.get(start);
      if (ASSIGNMENT.matcher(w).matches()) {
        int eq = w.indexOf('=');
        assignments.put(w.substring(0, eq), w.substring(eq + 1));
      } else if (KEYWORDS.contains(w) || WRAPPERS.contains(w.substring(w.lastIndexOf('/') + 1))
          || (start > 0 && w.startsWith("-") && WRAPPERS.contains(words.get(start - 1)))) {
        // a keyword or a wrapper (with its options) runs the command that follows
      } else {
        break;
      }
      start++;
    }
    return new ShellCommand(words.subList(start, words.size()), assignments);
  }
}
