package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The pool the probes are sent through, on the {@link VirtualClock}: requests of 100 ms each,
 * when they start and end, and how many are in flight to a port.
 */
class RequestPoolTest {
  private static final Duration TAKES = Duration.ofMillis(100);

  private final VirtualClock clock = new VirtualClock();
  /** "name start end" of every request, in the order they ended. */
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> most = new ConcurrentHashMap<>();

  private Supplier<String> request(String name, int port) {
    return () -> {
      long start = clock.nanoTime();
      int now = inFlight.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
      most.merge(port, now, Math::max);
      try {
        clock.sleep(TAKES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return name + " interrupted";
      } finally {
        inFlight.get(port).decrementAndGet();
      }
      log.add(name + " " + ms(start) + " " + ms(clock.nanoTime()));
      return name;
    };
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @Test
  void atMostSoManyRequestsAreInFlightToAPortAndTheAnswersKeepTheirOrder() throws Exception {
    List<RequestPool.Pending<String>> pending = new ArrayList<>();
    try (RequestPool pool = new RequestPool(clock, 3, "test")) {
      for (int i = 0; i < 9; i++) {
        pending.add(pool.submit(1, request("a" + i, 1)));
        pending.add(pool.submit(2, request("b" + i, 2)));
      }
      List<String> answers = new ArrayList<>();
      for (RequestPool.Pending<String> p : pending) {
        answers.add(p.get());
      }
      assertEquals("a0", answers.get(0));
      assertEquals("b8", answers.get(17));
    }
    assertEquals(Map.of(1, 3, 2, 3), most, "three in flight to each port, never more");
    assertEquals(Duration.ofMillis(300), clock.elapsed(), "nine to a port, three at a time: three rounds");
  }

  @Test
  void aRequestGoesNoEarlierThanItsTimeAndTheOneDueFirstGoesFirst() throws Exception {
    try (RequestPool pool = new RequestPool(clock, 1, "test")) {
      RequestPool.Pending<String> late = pool.submit(1, Duration.ofSeconds(2).toNanos(), request("late", 1));
      RequestPool.Pending<String> soon = pool.submit(1, Duration.ofSeconds(1).toNanos(), request("soon", 1));
      RequestPool.Pending<String> now = pool.submit(1, request("now", 1));
      assertEquals("late", late.get());
      assertEquals("soon", soon.get());
      assertEquals("now", now.get());
    }
    assertEquals(List.of("now 0 100", "soon 1000 1100", "late 2000 2100"), log);
  }

  @Test
  void inOrderSendsWhatGoesAloneWithNothingElseInFlight() throws Exception {
    List<String> answers;
    try (RequestPool pool = new RequestPool(clock, 4, "test")) {
      answers = pool.inOrder(List.of(
          new RequestPool.Ordered<>(1, 0, false, request("get1", 1)),
          new RequestPool.Ordered<>(1, 0, false, request("get2", 1)),
          new RequestPool.Ordered<>(1, 0, true, request("post", 1)),
          new RequestPool.Ordered<>(1, 0, false, request("get3", 1)),
          new RequestPool.Ordered<>(1, 0, false, request("get4", 1))));
    }
    assertEquals(List.of("get1", "get2", "post", "get3", "get4"), answers);
    List<String> sorted = new ArrayList<>(log);
    Collections.sort(sorted);
    assertEquals(List.of("get1 0 100", "get2 0 100", "get3 200 300", "get4 200 300", "post 100 200"), sorted,
        "the ones around it side by side; it after the ones before, before the ones after");
  }

  @Test
  void whatARequestThrewIsThrownToTheOneWaitingForIt() throws Exception {
    try (RequestPool pool = new RequestPool(clock, 2, "test")) {
      RequestPool.Pending<String> failing = pool.submit(1, () -> {
        throw new IllegalStateException("prober bug");
      });
      assertEquals("prober bug", assertThrows(IllegalStateException.class, failing::get).getMessage());
      assertEquals("next", pool.submit(1, request("next", 1)).get(), "the worker goes on");
    }
  }

  @Test
  void closingStopsEveryWorkerEvenWithWorkQueuedAndInFlight() throws Exception {
    List<Thread> workers = new ArrayList<>();
    try (RequestPool pool = new RequestPool(clock, 4, "closing-test")) {
      for (int i = 0; i < 4; i++) {
        pool.submit(1, request("now" + i, 1));
        pool.submit(1, Duration.ofSeconds(60).toNanos(), request("later" + i, 1));
      }
      Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("closing-test-"))
          .forEach(workers::add);
    }
    assertFalse(workers.isEmpty());
    for (Thread w : workers) {
      assertFalse(w.isAlive(), w.getName() + " still runs");
      assertTrue(w.isDaemon());
    }
    assertTrue(log.stream().noneMatch(l -> l.startsWith("later")), log.toString());
  }
}
