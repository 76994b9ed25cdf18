package io.minify.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

  @Test
  void aCloseReturnsOnlyOnceTheActionAnotherThreadTookHasRun() throws Exception {
    // an abort on the signal's thread is removing the container while the build's thread,
    // whose call failed because of it, closes the stack to write its report: the report must
    // list the removal, and the engine client must outlive it
    CleanupStack stack = new CleanupStack();
    CountDownLatch removing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    stack.push("original container", () -> {
      removing.countDown();
      release.await();
    });
    Thread signal = new Thread(stack::close, "signal");
    signal.start();
    assertTrue(removing.await(5, TimeUnit.SECONDS));
    AtomicBoolean returned = new AtomicBoolean();
    Thread build = new Thread(() -> {
      stack.close();
      returned.set(true);
    }, "build");
    build.start();
    build.join(300);
    assertFalse(returned.get(), "close() returned while the other thread's action still ran");
    release.countDown();
    build.join(5000);
    assertTrue(returned.get());
    assertEquals(List.of("original container"), stack.cleaned());
    signal.join(5000);
  }

  @Test
  void aCloseWaitsForAnActionAnotherThreadRunsThroughItsHandle() throws Exception {
    // the original container is removed by the thread that asked the engine what the run
    // changed; a build that ends meanwhile must not exit with the removal half done
    CleanupStack stack = new CleanupStack();
    CountDownLatch removing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CleanupStack.Handle removal = stack.push("original container", () -> {
      removing.countDown();
      release.await();
    });
    Thread changes = new Thread(removal::runNow, "minify-run-changes");
    changes.start();
    assertTrue(removing.await(5, TimeUnit.SECONDS));
    AtomicBoolean returned = new AtomicBoolean();
    Thread build = new Thread(() -> {
      stack.close();
      returned.set(true);
    }, "build");
    build.start();
    build.join(300);
    assertFalse(returned.get(), "close() returned while the handle's action still ran");
    release.countDown();
    build.join(5000);
    assertTrue(returned.get());
    assertEquals(List.of("original container"), stack.cleaned());
    changes.join(5000);
  }
}
