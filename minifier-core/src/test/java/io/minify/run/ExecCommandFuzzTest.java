package io.minify.run;

import io.minify.fuzz.Fuzzer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --exec} and {@code --exec-file} lines: a command, or an IllegalArgumentException naming the bad part. */
class ExecCommandFuzzTest {

  @Test
  void execCommands() {
    Fuzzer.ofText("exec-command", List.of("[", "]", ",", "\"", "\"sh\"", "\"-c\"", "null", "1", "{}", "\\u0000",
            "\\", " ", ";", "$(", "`", "sh -c "))
        .seeds("[\"sh\", \"-c\", \"until redis-cli ping; do sleep 1; done\"]", "[\"/bin/true\"]",
            "psql -U postgres -c 'select 1'", "[]", "[\"a\", 1]", "[\"a\"] trailing", "   ", "")
        .allowing(IllegalArgumentException.class)
        .run(text -> ExecCommand.parse(text).programs());
  }
}
