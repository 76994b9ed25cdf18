package io.minify.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The clock the waits of a run read, and the pauses between their polls. A build has the
 * system's ({@link #SYSTEM}); a test has one whose time moves only when it is slept on, so
 * that a wait of seconds (a start timeout, the gap before a probe's second request) costs the
 * test no time.
 */
public interface Sleeper {

  /** The system's clock and {@link Thread#sleep}. */
  Sleeper SYSTEM = new Sleeper() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
      Thread.sleep(d.toMillis());
    }

    @Override
    public boolean await(CountDownLatch done, Duration d) throws InterruptedException {
      return done.await(d.toNanos(), TimeUnit.NANOSECONDS);
    }
  };

  /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Pauses for {@code d}. */
  void sleep(Duration d) throws InterruptedException;

  /** Pauses until {@code done} opens or {@code d} has passed; whether it opened. */
  boolean await(CountDownLatch done, Duration d) throws InterruptedException;
}
