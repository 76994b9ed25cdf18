package io.minify.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The clock the waits of a run read, and the pauses between their polls. A build has the
 * system's ({@link #SYSTEM}); a test has one whose time moves only when every thread of the
 * run waits on it, so that a wait of seconds (a start timeout, the gap before a probe's second
 * request) costs the test no time.
 *
 * <p>Such a clock must see every thread that does the run's work and every wait of those
 * threads, or it could move time while one of them is still busy: the threads that send
 * requests side by side are started here ({@link #startThread}), and they hand work to each
 * other through a {@link Monitor} of this clock, never through a lock or a queue of their own.
 */
public interface Sleeper {

  /** The system's clock, {@link Thread#sleep} and plain locks. */
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

    @Override
    public Monitor monitor() {
      ReentrantLock lock = new ReentrantLock();
      Condition changed = lock.newCondition();
      return new Monitor() {
        @Override
        public void lock() {
          lock.lock();
        }

        @Override
        public void unlock() {
          lock.unlock();
        }

        @Override
        public void await(long deadline) throws InterruptedException {
          if (deadline == Long.MAX_VALUE) {
            changed.await();
          } else {
            changed.awaitNanos(deadline - System.nanoTime());
          }
        }

        @Override
        public void signalAll() {
          changed.signalAll();
        }
      };
    }

    @Override
    public Thread startThread(String name, Runnable work) {
      Thread thread = new Thread(work, name);
      thread.setDaemon(true); // a thread left behind never holds the JVM open
      thread.start();
      return thread;
    }
  };

  /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Pauses for {@code d}. */
  void sleep(Duration d) throws InterruptedException;

  /** Pauses until {@code done} opens or {@code d} has passed; whether it opened. */
  boolean await(CountDownLatch done, Duration d) throws InterruptedException;

  /** A new lock with one condition, whose waits are waits on this clock. */
  Monitor monitor();

  /** Starts {@code work} on a new daemon thread named {@code name}, one whose waits this clock counts. */
  Thread startThread(String name, Runnable work);

  /**
   * A lock and its one condition, for threads that hand each other work. Used as a
   * {@link ReentrantLock}: {@link #lock()}, then the state, then {@link #unlock()} in a
   * {@code finally}.
   */
  interface Monitor {
    void lock();

    void unlock();

    /**
     * Waits, with the lock held, until {@link #signalAll()} or until {@code deadline} (a
     * {@link Sleeper#nanoTime()} value; {@link Long#MAX_VALUE}: no time limit). It may return
     * earlier: a caller checks its state again.
     */
    void await(long deadline) throws InterruptedException;

    /** Wakes every thread waiting on this monitor; the lock is held. */
    void signalAll();
  }
}
