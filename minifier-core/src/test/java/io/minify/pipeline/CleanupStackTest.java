package io.minify.pipeline;

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
  void handlesRunNowOrKeepTheirOwnActionOnly() {
    List<String> ran = new ArrayList<>();
    CleanupStack stack = new CleanupStack();
    CleanupStack.Handle first = stack.push("container", () -> ran.add("first container"));
    CleanupStack.Handle second = stack.push("container", () -> ran.add("second container"));
    CleanupStack.Handle image = stack.push("image", () -> ran.add("image"));
    first.runNow();
    first.runNow();
    image.keep();
    assertEquals(List.of("first container"), ran, "same name, different action: only the handle's own runs");
    stack.close();
    second.runNow();
    assertEquals(List.of("first container", "second container"), ran);
  }

  @Test
  @SuppressWarnings("try") // the point is what closing does, not what the body does with it
  void aHandleClosesLikeTryWithResources() {
    List<String> ran = new ArrayList<>();
    CleanupStack stack = new CleanupStack();
    try (CleanupStack.Handle container = stack.push("slim container", () -> ran.add("slim"))) {
      assertEquals(List.of(), ran);
    }
    assertEquals(List.of("slim"), ran);
    stack.close();
    assertEquals(List.of("slim"), ran);
  }

  @Test
  void pushAfterAbortUndoesAtOnce() {
    List<String> ran = new ArrayList<>();
    CleanupStack stack = new CleanupStack();
    stack.close();
    CleanupStack.Handle late = stack.push("late container", () -> ran.add("late"));
    assertEquals(List.of("late"), ran);
    late.runNow();
    assertEquals(List.of("late"), ran, "it ran once");
  }
}
