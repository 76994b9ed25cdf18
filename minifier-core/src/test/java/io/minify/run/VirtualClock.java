package io.minify.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A {@link Sleeper} whose time moves only when every thread of the run waits on it: a wait of
 * seconds passes at once, and a test can still tell how long the code under test waited
 * ({@link #elapsed()}). Whatever else in a test ends "after a while" (a fake app that exits on
 * its own) reads this clock too, so it ends at the same point of the waits as it would in real
 * time.
 *
 * <p>The threads of the run are the one that made the clock, every thread that waited on it or
 * took one of its monitors, and those it started ({@link #startThread}), until they end. While
 * one of them is busy (not waiting here) time stands still, however long the others sleep;
 * once all wait, time jumps to the earliest end of a wait and wakes whoever waited for it. A
 * thread woken by {@link Monitor#signalAll()} counts as busy from the signal on, not from when
 * it is scheduled, so time cannot slip past it. Every monitor of this clock is one lock, the
 * clock's own: slower than the system's, never less safe.
 */
public final class VirtualClock implements Sleeper {

  /** How often a waiting thread looks, in real time, for what the clock is not told of: a thread that ended, a latch. */
  private static final long POLL_MILLIS = 5;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile long now;
  /** The threads of the run (guarded by lock). */
  private final Set<Thread> threads = new LinkedHashSet<>();
  /** The threads waiting on this clock, and what for (guarded by lock). */
  private final Map<Thread, Wait> waiting = new HashMap<>();
  private boolean deadlocked; // guarded by lock

  /** @param on the monitor waited on, null for a sleep; @param until when the wait ends on its own */
  private record Wait(Object on, long until) {}

  public VirtualClock() {
    threads.add(Thread.currentThread());
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleep(Duration d) throws InterruptedException {
    lock.lock();
    try {
      park(null, now + d.toNanos(), () -> false);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean await(CountDownLatch done, Duration d) throws InterruptedException {
    lock.lock();
    try {
      // what opens the latch may be no thread of the run (a signal's): it is looked for in real time
      park(null, now + d.toNanos(), () -> done.getCount() == 0);
      return done.getCount() == 0;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Monitor monitor() {
    return new Monitor() {
      @Override
      public void lock() {
        lock.lock();
        threads.add(Thread.currentThread());
      }

      @Override
      public void unlock() {
        lock.unlock();
      }

      @Override
      public void await(long deadline) throws InterruptedException {
        park(this, deadline, () -> false);
      }

      @Override
      public void signalAll() {
        // busy from now on: the woken must not be passed by time before they run
        waiting.values().removeIf(w -> w.on() == this);
        changed.signalAll();
      }
    };
  }

  @Override
  public Thread startThread(String name, Runnable work) {
    Thread thread = new Thread(() -> {
      try {
        work.run();
      } finally {
        lock.lock();
        try {
          threads.remove(Thread.currentThread());
          advance();
        } finally {
          lock.unlock();
        }
      }
    }, name);
    thread.setDaemon(true);
    lock.lock();
    try {
      threads.add(thread); // busy from before it starts: its first steps are work
    } finally {
      lock.unlock();
    }
    thread.start();
    return thread;
  }

  /** How much time has passed since this clock was made. */
  public Duration elapsed() {
    return Duration.ofNanos(now);
  }

  /** Waits, the lock held, until signalled, until {@code until}, or until {@code done}. */
  private void park(Object on, long until, BooleanSupplier done) throws InterruptedException {
    Thread me = Thread.currentThread();
    threads.add(me);
    if (Thread.interrupted()) {
      throw new InterruptedException(); // as every wait of the system's: a thread told to stop does not wait
    }
    if (until <= now || done.getAsBoolean()) {
      return;
    }
    waiting.put(me, new Wait(on, until));
    try {
      advance();
      while (waiting.containsKey(me)) {
        if (deadlocked) {
          throw new IllegalStateException("every thread of the run waits for another, none for a time: "
              + threads);
        }
        if (done.getAsBoolean()) {
          return;
        }
        if (!changed.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          advance(); // a thread of the run may have ended without a word (one not started here)
        }
      }
    } finally {
      waiting.remove(me);
    }
  }

  /** Moves time to the earliest end of a wait when every thread of the run waits; the lock is held. */
  private void advance() {
    threads.removeIf(t -> t.getState() == Thread.State.TERMINATED);
    for (Thread t : threads) {
      if (!waiting.containsKey(t)) {
        return; // one is busy: time stands still
      }
    }
    if (waiting.isEmpty()) {
      return;
    }
    long next = waiting.values().stream().mapToLong(Wait::until).min().orElseThrow();
    if (next == Long.MAX_VALUE) {
      deadlocked = true;
    } else {
      now = next;
      waiting.values().removeIf(w -> w.until() <= next);
    }
    changed.signalAll();
  }
}
