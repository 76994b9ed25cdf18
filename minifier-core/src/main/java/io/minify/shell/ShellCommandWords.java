package io.minify.shell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The programs a POSIX shell command line may run: the command word of every simple
 * command, wherever it stands (after {@code ; && || | &} and newlines, inside {@code ( )},
 * {@code { }}, {@code $( )} and backticks, after {@code if then else elif while until do !}
 * and in {@code case} items), with leading {@code VAR=value} assignments and redirections
 * skipped. An {@code --exec} readiness loop ({@code until pg_isready; do sleep 1; done})
 * names programs that run only when the app is slow, so the slim image must keep them
 * whether or not the watched run needed them.
 *
 * <p>A small lexer, not a shell: it never expands anything. A word whose value is only known
 * at run time ({@code $CMD}, {@code ~/bin/x}, a glob) is left out, and so are words of
 * here-documents, {@code for} word lists and {@code case} patterns. A few wrappers are seen
 * through to the program they run ({@code exec}, {@code command}, {@code env}, {@code nohup},
 * {@code nice}, {@code time}, {@code timeout}, and {@code sh -c SCRIPT}, whose script is read
 * the same way). Shell builtins and keywords come out as words too; the caller looks each up
 * in the image and skips what it does not find.
 */
public final class ShellCommandWords {

  /** Deeper nesting of $( ), backticks and sh -c is not read (it is not a real command line). */
  private static final int MAX_NESTING = 32;
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> REDIRECTIONS = Set.of("<", ">", ">>", "<&", ">&", "<>", ">|", "<<", "<<-");
  /** Reserved words after which a command word follows. */
  private static final Set<String> OPENING = Set.of("if", "then", "else", "elif", "while", "until", "do", "!", "{");
  /** Reserved words that end a compound command: a separator, pipe or redirection follows. */
  private static final Set<String> CLOSING = Set.of("fi", "done", "}");

  private ShellCommandWords() {}

  /** The command words of {@code script}, each once, in the order they appear. */
  public static List<String> of(String script) {
    Set<String> out = new LinkedHashSet<>();
    new Parser(script, 0, false, out, new LinkedHashSet<>(), 0).parse();
    return List.copyOf(out);
  }

  /**
   * The programs an argument vector runs without a shell: {@code argv[0]}, and what the
   * wrappers above run ({@code ["sh", "-c", "until ...; do sleep 1; done"]} gives
   * {@code sh} and that script's words).
   */
  public static List<String> ofArgv(List<String> argv) {
    Set<String> out = new LinkedHashSet<>();
    if (!argv.isEmpty()) {
      Arguments args = new Arguments(out, new LinkedHashSet<>(), 0);
      args.command(argv.get(0));
      argv.subList(1, argv.size()).forEach(a -> args.argument(a, true));
    }
    return List.copyOf(out);
  }

  private enum Kind { WORD, OPERATOR, NEWLINE, END }

  /**
   * @param text    the word after quote removal (meaningless unless {@code literal})
   * @param literal no expansion: the value is known before the shell runs
   * @param quoted  some of it was quoted (a quoted word is never a reserved word)
   * @param ioNumber digits directly before a redirection operator ({@code 2>})
   * @param assignment {@code NAME=...} with an unquoted name: a variable assignment, not a command
   */
  private record Token(Kind kind, String text, boolean literal, boolean quoted, boolean ioNumber,
      boolean assignment) {
    boolean is(String operator) {
      return kind == Kind.OPERATOR && text.equals(operator);
    }

    boolean reserved(String word) {
      return kind == Kind.WORD && !quoted && literal && text.equals(word);
    }
  }

  /**
   * What follows a command word in one simple command: for a wrapper, where its program is;
   * for {@code sh -c}, the script.
   */
  private static final class Arguments {
    private final Set<String> out;
    private final Set<String> functions;
    private final int depth;
    private String program;
    private int skip;
    private boolean sawDuration;
    private boolean scriptNext;
    private boolean done;

    Arguments(Set<String> out, Set<String> functions, int depth) {
      this.out = out;
      this.functions = functions;
      this.depth = depth;
    }

    /** A command word: recorded, and what comes after it is read for its sake. */
    void command(String word) {
      if (!word.isEmpty() && !functions.contains(word)) {
        out.add(word);
      }
      program = word.substring(word.lastIndexOf('/') + 1);
      skip = 0;
      sawDuration = false;
      scriptNext = false;
      done = false;
    }

    void argument(String word, boolean literal) {
      if (done || program == null) {
        return;
      }
      if (skip > 0) {
        skip--;
        return;
      }
      if (!literal) {
        done = true; // a program named at run time: unknowable from here on
        return;
      }
      boolean option = word.startsWith("-") && word.length() > 1;
      switch (program) {
        case "exec", "nohup", "time", "command" -> {
          if (program.equals("command") && (word.equals("-v") || word.equals("-V"))) {
            done = true; // command -v only looks the name up
          } else if (program.equals("exec") && word.equals("-a")) {
            skip = 1;
          } else if (!option) {
            command(word);
          }
        }
        case "env" -> {
          if (word.equals("-u") || word.equals("--unset") || word.equals("-C") || word.equals("--chdir")) {
            skip = 1;
          } else if (!option && !isAssignment(word)) {
            command(word);
          }
        }
        case "nice" -> {
          if (word.equals("-n") || word.equals("--adjustment")) {
            skip = 1;
          } else if (!option) {
            command(word);
          }
        }
        case "timeout" -> {
          if (word.equals("-s") || word.equals("-k") || word.equals("--signal") || word.equals("--kill-after")) {
            skip = 1;
          } else if (!option && !sawDuration) {
            sawDuration = true;
          } else if (!option) {
            command(word);
          }
        }
        default -> {
          if (!ShellPrograms.isShell(program)) {
            done = true;
          } else if (option && !word.startsWith("--") && word.indexOf('c') > 0) {
            scriptNext = true; // -c, -ec, -lc: the first operand is the script
          } else if (word.equals("-o") || word.equals("+o")) {
            skip = 1;
          } else if (!option) {
            if (scriptNext && depth < MAX_NESTING) {
              new Parser(word, 0, false, out, functions, depth + 1).parse();
            }
            done = true; // a script file or the script's $0
          }
        }
      }
    }
  }

  /** One command list: a whole script, or the inside of {@code $( )}. */
  private static final class Parser {
    private final String src;
    private final boolean substitution;
    private final Set<String> out;
    private final Set<String> functions;
    private final int depth;
    private int pos;
    private Token pushedBack;
    private final List<String> pendingHeredocs = new ArrayList<>();
    private final List<Boolean> pendingHeredocTabs = new ArrayList<>();

    Parser(String src, int pos, boolean substitution, Set<String> out, Set<String> functions, int depth) {
      this.src = src;
      this.pos = pos;
      this.substitution = substitution;
      this.out = out;
      this.functions = functions;
      this.depth = depth;
    }

    /** Reads to the end (or to the ')' that closes this substitution); returns where it stopped. */
    int parse() {
      boolean commandPosition = true;
      int parens = 0;
      // case: after "case", the subject and "in"; then patterns up to ')'; then a command list to ';;'
      List<String> cases = new ArrayList<>();
      boolean skipUntilDo = false;
      Arguments args = new Arguments(out, functions, depth);
      while (true) {
        Token t = next();
        String caseState = cases.isEmpty() ? "" : cases.get(cases.size() - 1);
        if (t.kind() == Kind.END) {
          return pos;
        }
        if (skipUntilDo) {
          // a for loop's name and word list are not commands
          if (t.reserved("do")) {
            skipUntilDo = false;
            commandPosition = true;
            args = new Arguments(out, functions, depth);
          }
          continue;
        }
        if (caseState.equals("subject")) {
          if (t.reserved("in")) {
            cases.set(cases.size() - 1, "patterns");
          }
          continue;
        }
        if (caseState.equals("patterns")) {
          if (t.reserved("esac")) {
            cases.remove(cases.size() - 1);
            commandPosition = false;
          } else if (t.is(")")) {
            cases.set(cases.size() - 1, "item");
            commandPosition = true;
            args = new Arguments(out, functions, depth);
          }
          continue; // a pattern, '|' between patterns, an optional '('
        }
        switch (t.kind()) {
          case NEWLINE -> {
            commandPosition = true;
            args = new Arguments(out, functions, depth);
          }
          case OPERATOR -> {
            String op = t.text();
            if (REDIRECTIONS.contains(op)) {
              Token target = next();
              if ((op.equals("<<") || op.equals("<<-")) && target.kind() == Kind.WORD) {
                pendingHeredocs.add(target.text());
                pendingHeredocTabs.add(op.equals("<<-"));
              }
              if (target.kind() != Kind.WORD) {
                pushedBack = target;
              }
              continue; // redirections may stand before the command word
            }
            if (op.equals(")")) {
              if (parens == 0 && substitution) {
                return pos;
              }
              parens = Math.max(0, parens - 1);
              commandPosition = false;
              continue;
            }
            if (op.equals("(")) {
              parens++;
            }
            if ((op.equals(";;") || op.equals(";&") || op.equals(";;&")) && caseState.equals("item")) {
              cases.set(cases.size() - 1, "patterns");
            }
            commandPosition = true;
            args = new Arguments(out, functions, depth);
          }
          case WORD -> {
            if (t.ioNumber()) {
              continue;
            }
            if (!commandPosition) {
              args.argument(t.text(), t.literal());
              continue;
            }
            if (t.reserved("esac") && caseState.equals("item")) {
              cases.remove(cases.size() - 1);
              commandPosition = false;
            } else if (OPENING.stream().anyMatch(t::reserved)) {
              args = new Arguments(out, functions, depth);
            } else if (CLOSING.stream().anyMatch(t::reserved)) {
              commandPosition = false;
            } else if (t.reserved("for") || t.reserved("select")) {
              skipUntilDo = true;
            } else if (t.reserved("case")) {
              cases.add("subject");
            } else if (t.reserved("function")) {
              Token name = next();
              if (name.kind() == Kind.WORD) {
                functions.add(name.text());
                Token open = next();
                Token close = open.is("(") ? next() : null;
                if (close != null && !close.is(")")) {
                  pushedBack = close;
                } else if (close == null) {
                  pushedBack = open;
                }
              } else {
                pushedBack = name;
              }
            } else if (t.assignment()) {
              continue; // VAR=value before the command word
            } else {
              if (pushedBack == null && nextCharIs('(')) {
                // name() { ...; }: a function definition, and later calls of it are no programs
                next(); // the '('
                Token close = next();
                if (close.is(")") && t.literal()) {
                  functions.add(t.text());
                  commandPosition = true;
                  args = new Arguments(out, functions, depth);
                  continue;
                }
                pushedBack = close;
              }
              if (t.literal()) {
                args.command(t.text());
              } else {
                args = new Arguments(out, functions, depth); // $CMD: its arguments say nothing
              }
              commandPosition = false;
            }
          }
          default -> { }
        }
      }
    }

    private Token next() {
      if (pushedBack != null) {
        Token t = pushedBack;
        pushedBack = null;
        return t;
      }
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\r') {
          pos++;
        } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
          pos += 2; // line continuation
        } else if (c == '#') {
          while (pos < src.length() && src.charAt(pos) != '\n') {
            pos++;
          }
        } else {
          break;
        }
      }
      if (pos >= src.length()) {
        return new Token(Kind.END, "", true, false, false, false);
      }
      char c = src.charAt(pos);
      if (c == '\n') {
        pos++;
        skipHeredocBodies();
        return new Token(Kind.NEWLINE, "\n", true, false, false, false);
      }
      String op = operatorAt(pos);
      if (op != null) {
        pos += op.length();
        return new Token(Kind.OPERATOR, op, true, false, false, false);
      }
      return word();
    }

    /** Whether the next character after blanks is {@code c} (read nothing: words are read in order). */
    private boolean nextCharIs(char c) {
      int i = pos;
      while (i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
        i++;
      }
      return i < src.length() && src.charAt(i) == c;
    }

    private String operatorAt(int at) {
      for (String op : List.of(";;&", "<<-", ";;", ";&", "&&", "||", "|&", ">>", "<<", "<&", ">&", "<>", ">|",
          ";", "&", "|", "(", ")", "<", ">")) {
        if (src.startsWith(op, at)) {
          return op;
        }
      }
      return null;
    }

    private Token word() {
      StringBuilder text = new StringBuilder();
      boolean literal = true;
      boolean quoted = false;
      boolean assignment = false;
      boolean first = true;
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (" \t\r\n;&|()<>".indexOf(c) >= 0) {
          break;
        }
        if (c == '\\') {
          if (pos + 1 < src.length()) {
            if (src.charAt(pos + 1) != '\n') {
              text.append(src.charAt(pos + 1));
              quoted = true;
            }
            pos += 2;
          } else {
            pos++;
          }
        } else if (c == '\'') {
          int end = src.indexOf('\'', pos + 1);
          end = end < 0 ? src.length() : end;
          text.append(src, pos + 1, end);
          pos = Math.min(src.length(), end + 1);
          quoted = true;
        } else if (c == '"') {
          pos++;
          quoted = true;
          while (pos < src.length() && src.charAt(pos) != '"') {
            char d = src.charAt(pos);
            if (d == '\\' && pos + 1 < src.length() && "$`\"\\\n".indexOf(src.charAt(pos + 1)) >= 0) {
              if (src.charAt(pos + 1) != '\n') {
                text.append(src.charAt(pos + 1));
              }
              pos += 2;
            } else if ((d == '$' || d == '`') && expansion()) {
              literal = false;
            } else {
              text.append(d);
              pos++;
            }
          }
          pos++;
        } else if ((c == '$' || c == '`') && expansion()) {
          literal = false;
        } else {
          if (c == '*' || c == '?' || c == '~' && first) {
            literal = false; // a glob or tilde: the shell decides the name
          }
          if (c == '=' && !assignment && !quoted && literal && NAME.matcher(text).matches()) {
            assignment = true;
          }
          text.append(c);
          pos++;
        }
        first = false;
      }
      boolean ioNumber = !quoted && literal && !text.isEmpty() && text.chars().allMatch(Character::isDigit)
          && pos < src.length() && (src.charAt(pos) == '<' || src.charAt(pos) == '>');
      return new Token(Kind.WORD, text.toString(), literal, quoted, ioNumber, assignment);
    }

    /**
     * Reads an expansion at {@code pos} ('$' or '`'); command substitutions are parsed for
     * their own commands. Returns false, reading nothing, when it does not expand (a lone
     * '$' is just a character).
     */
    private boolean expansion() {
      char c = src.charAt(pos);
      if (c == '`') {
        int end = pos + 1;
        StringBuilder inner = new StringBuilder();
        while (end < src.length() && src.charAt(end) != '`') {
          if (src.charAt(end) == '\\' && end + 1 < src.length() && "$`\\".indexOf(src.charAt(end + 1)) >= 0) {
            end++;
          }
          inner.append(src.charAt(end));
          end++;
        }
        pos = Math.min(src.length(), end + 1);
        if (depth < MAX_NESTING) {
          new Parser(inner.toString(), 0, false, out, functions, depth + 1).parse();
        }
        return true;
      }
      char n = pos + 1 < src.length() ? src.charAt(pos + 1) : ' ';
      if (n == '(' && pos + 2 < src.length() && src.charAt(pos + 2) == '(') {
        pos = skipBalanced(pos + 1, '(', ')'); // $(( arithmetic ))
      } else if (n == '(') {
        if (depth < MAX_NESTING) {
          pos = new Parser(src, pos + 2, true, out, functions, depth + 1).parse();
        } else {
          pos = skipBalanced(pos + 1, '(', ')');
        }
      } else if (n == '{') {
        pos = skipBalanced(pos + 1, '{', '}');
      } else if (Character.isLetterOrDigit(n) || n == '_') {
        pos++;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
          pos++;
        }
      } else if ("?#@*!$-".indexOf(n) >= 0) {
        pos += 2;
      } else {
        return false;
      }
      return true;
    }

    /** Position after the bracket that closes the one at {@code open} (or the end). */
    private int skipBalanced(int open, char opening, char closing) {
      int level = 0;
      for (int i = open; i < src.length(); i++) {
        char c = src.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == opening) {
          level++;
        } else if (c == closing && --level == 0) {
          return i + 1;
        }
      }
      return src.length();
    }

    /** After a newline: the bodies of the here-documents of that line are data, not commands. */
    private void skipHeredocBodies() {
      for (int i = 0; i < pendingHeredocs.size(); i++) {
        String delimiter = pendingHeredocs.get(i);
        boolean tabs = pendingHeredocTabs.get(i);
        while (pos < src.length()) {
          int end = src.indexOf('\n', pos);
          String line = src.substring(pos, end < 0 ? src.length() : end);
          pos = end < 0 ? src.length() : end + 1;
          if ((tabs ? line.replaceFirst("^\t+", "") : line).equals(delimiter)) {
            break;
          }
        }
      }
      pendingHeredocs.clear();
      pendingHeredocTabs.clear();
    }
  }

  private static boolean isAssignment(String word) {
    int eq = word.indexOf('=');
    return eq > 0 && NAME.matcher(word.substring(0, eq)).matches();
  }
}
