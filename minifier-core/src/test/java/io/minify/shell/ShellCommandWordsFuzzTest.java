package io.minify.shell;

import io.minify.fuzz.Fuzzer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --exec} scripts are a user's text, read for the programs they run: any text gives
 * a list of words, never an exception, however deep its nesting.
 */
class ShellCommandWordsFuzzTest {
  static final List<String> SHELL_TOKENS = List.of(" ", ";", "&&", "||", "|", "&", "\n", "$(", ")", "`", "'",
      "\"", "\\", "sh -c ", "bash -c '", "exec ", "env A=1 ", "if ", "then ", "fi", "while ", "do ", "done", "{ ",
      "}", "<<EOF\n", "EOF\n", "> /dev/null", "2>&1", "${A:-x}", "$((1+2))", "#", "case x in a) ;; esac", "!",
      "A=b ", "(", "<(", "time ", "command -v ");

  @Test
  void scripts() {
    Fuzzer.ofText("ShellCommandWords.of", SHELL_TOKENS)
        .seeds("until client ping; do sleep 1; done", "sh -c 'curl -fs localhost:8080/ && echo \"$(date)\"'",
            "A=1 B=$(cat /etc/x | grep -v '#') env python3 -m app 2>&1 >/dev/null &",
            "if [ -x /bin/x ]; then exec /bin/x \"$@\"; else `which y` --flag; fi", "cat <<EOF\nhello\nEOF\necho done",
            "")
        .run(ShellCommandWords::of);
  }

  @Test
  void argumentVectors() {
    Fuzzer.ofText("ShellCommandWords.ofArgv", SHELL_TOKENS)
        .seeds("sh\u0000-c\u0000until redis-cli ping; do sleep 1; done", "bash\u0000-lc\u0000exec app",
            "env\u0000A=1\u0000sh\u0000-c\u0000x", "/usr/bin/timeout\u00005\u0000nc\u0000-z\u0000localhost", "")
        .run(text -> ShellCommandWords.ofArgv(List.of(text.split("\u0000", -1))));
  }
}
