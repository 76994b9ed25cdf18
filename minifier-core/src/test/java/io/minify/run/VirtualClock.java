package io.minify.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Sleeper} whose time moves only when it is slept on: a wait of seconds passes at
 * once, and a test can still tell how long the code under test waited ({@link #elapsed()}).
 * Whatever else in a test ends "after a while" (a fake app that exits on its own) reads this
 * clock too, so it ends at the same point of the waits as it would in real time.
 */
public final class VirtualClock implements Sleeper {
  private final AtomicLong now = new AtomicLong();

  @Override
  public long nanoTime() {
    return now.get();
  }

  @Override
  public void sleep(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Override
  public boolean await(CountDownLatch done, Duration d) {
    if (done.getCount() == 0) {
      return true;
    }
    now.addAndGet(d.toNanos());
    Thread.yield(); // what opens the latch runs on another thread, in real time
    return done.getCount() == 0;
  }

  /** How much time has passed since this clock was made. */
  public Duration elapsed() {
    return Duration.ofNanos(now.get());
  }
}
