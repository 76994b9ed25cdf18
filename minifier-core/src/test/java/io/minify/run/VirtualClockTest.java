package io.minify.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The test clock keeps the rule that makes concurrent tests deterministic and honest: time
 * moves only when every thread of the run waits on it, to the earliest end of a wait.
 */
class VirtualClockTest {
  private final VirtualClock clock = new VirtualClock();

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @Test
  void timeStandsStillWhileOneThreadOfTheRunIsBusy() throws Exception {
    CountDownLatch parked = new CountDownLatch(1);
    List<Long> wokeAt = Collections.synchronizedList(new ArrayList<>());
    Thread sleeper = clock.startThread("sleeper", () -> {
      try {
        parked.countDown();
        clock.sleep(Duration.ofSeconds(1));
        wokeAt.add(clock.nanoTime());
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    parked.await();
    Thread.sleep(50); // real time: the other thread sleeps, this one is busy
    assertEquals(0, clock.nanoTime(), "this thread has not waited yet: time stands");
    clock.sleep(Duration.ofMillis(300));
    assertEquals(300, millis(clock.nanoTime()), "the shorter wait ends first");
    clock.sleep(Duration.ofSeconds(1));
    sleeper.join();
    assertEquals(List.of(1000L), wokeAt.stream().map(VirtualClockTest::millis).toList());
    assertEquals(Duration.ofMillis(1300), clock.elapsed());
  }

  @Test
  void aSignalledThreadIsBusyFromTheSignalOn() throws Exception {
    Sleeper.Monitor monitor = clock.monitor();
    boolean[] handed = new boolean[1];
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Thread worker = clock.startThread("worker", () -> {
      monitor.lock();
      try {
        while (!handed[0]) {
          monitor.await(Long.MAX_VALUE);
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        monitor.unlock();
      }
      seen.add(clock.nanoTime());
      try {
        clock.sleep(Duration.ofMillis(100)); // its work takes time of the clock
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      seen.add(clock.nanoTime());
    });
    monitor.lock();
    try {
      handed[0] = true;
      monitor.signalAll();
    } finally {
      monitor.unlock();
    }
    // this thread waits at once: were the worker not busy from the signal on, time would jump
    clock.sleep(Duration.ofSeconds(5));
    worker.join();
    assertEquals(List.of(0L, 100L), seen.stream().map(VirtualClockTest::millis).toList());
    assertEquals(Duration.ofSeconds(5), clock.elapsed());
  }

  @Test
  void threadsThatAllWaitForEachOtherAreADeadlockNotAHang() {
    Sleeper.Monitor monitor = clock.monitor();
    monitor.lock();
    try {
      assertThrows(IllegalStateException.class, () -> monitor.await(Long.MAX_VALUE));
    } finally {
      monitor.unlock();
    }
  }

  @Test
  void anInterruptedWaitEndsAtOnce() throws Exception {
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> clock.sleep(Duration.ofSeconds(1)));
    assertTrue(clock.elapsed().isZero(), clock.elapsed().toString());
  }
}
