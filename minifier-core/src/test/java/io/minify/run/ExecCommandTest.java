package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExecCommandTest {

  @Test
  void execCommandsListTheShellAndTheirWords() {
    assertEquals(List.of("/bin/sh", "redis-cli", "sleep"),
        ExecCommand.parse("until redis-cli ping; do sleep 1; done").programs());
    assertEquals(List.of("/bin/sh", "redis-cli"), ExecCommand.parse("/bin/sh -c 'redis-cli ping'").programs());
    assertEquals(List.of("redis-cli"), ExecCommand.parse("[\"redis-cli\", \"get\", \"k\"]").programs());
  }
}
