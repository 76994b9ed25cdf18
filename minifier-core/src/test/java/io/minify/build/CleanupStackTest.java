package io.minify.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupStackTest {

  @Test
  void runsLastInFirstOutOnceAndSurvivesFailures() {
    List<String> ran = new ArrayList<>();
    CleanupStack stack = new CleanupStack();
    stack.push("a", () -> ran.add("a"));
    stack.push("b", () -> {
      ran.add("b");
      throw new IllegalStateException("boom");
    });
    stack.push("c", () -> ran.add("c"));
    stack.close();
    stack.close();
    assertEquals(List.of("c", "b", "a"), ran);
    assertEquals(List.of("b: boom"), stack.failures());
  }

  @Test
  void runNowAndDiscardRemovePendingActions() {
    List<String> ran = new ArrayList<>();
    CleanupStack stack = new CleanupStack();
    stack.push("container", () -> ran.add("container"));
    stack.push("image", () -> ran.add("image"));
    stack.runNow("container");
    stack.discard("image");
    stack.close();
    assertEquals(List.of("container"), ran);
  }

  @Test
  void pushAfterAbortUndoesAtOnce() {
    List<String> ran = new ArrayList<>();
    CleanupStack stack = new CleanupStack();
    stack.close();
    stack.push("late container", () -> ran.add("late"));
    assertEquals(List.of("late"), ran);
  }
}
