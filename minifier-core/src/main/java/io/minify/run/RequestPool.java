package io.minify.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The requests of one run of the probes, sent on worker threads of the run's clock: at most
 * {@code perPort} in flight to one host port, none before its time, the one due first sent
 * first. Workers are started as work comes, up to {@code perPort} for each port seen, and all
 * their waits (for work, for a request's time, for room on a port) are waits on the clock, so
 * a test's virtual clock sees them.
 *
 * <p>Closing the pool drops what is still queued, interrupts the workers (the prober ends a
 * request it is interrupted in) and waits for them to end: whatever way a run of the probes
 * ends, failing or aborted, it leaves no thread behind.
 */
final class RequestPool implements AutoCloseable {

  /** How long closing waits for a worker that is not done once interrupted; it is a daemon, and the build goes on. */
  private static final long JOIN_MILLIS = 10_000;

  private final Sleeper sleeper;
  private final Sleeper.Monitor monitor;
  private final int perPort;
  private final String name;
  // guarded by monitor:
  private final TreeSet<Task<?>> queue = new TreeSet<>(
      Comparator.<Task<?>>comparingLong(t -> t.notBefore).thenComparingLong(t -> t.order));
  private final Map<Integer, Integer> inFlight = new HashMap<>();
  private final Set<Integer> ports = new HashSet<>();
  private final List<Thread> workers = new ArrayList<>();
  private int idle;
  private long submitted;
  private boolean closed;

  /**
   * @param sleeper the clock of every wait, and where the workers are started
   * @param perPort requests in flight to one host port at most
   * @param name    the workers' thread names start with it
   */
  RequestPool(Sleeper sleeper, int perPort, String name) {
    if (perPort < 1) {
      throw new IllegalArgumentException("at least one request in flight per port, not " + perPort);
    }
    this.sleeper = sleeper;
    this.monitor = sleeper.monitor();
    this.perPort = perPort;
    this.name = name;
  }

  /**
   * Queues {@code request} to {@code hostPort}, to be sent once {@link Sleeper#nanoTime()}
   * reaches {@code notBefore}.
   */
  <T> Pending<T> submit(int hostPort, long notBefore, Supplier<T> request) {
    Pending<T> pending = new Pending<>();
    monitor.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the request pool is closed");
      }
      queue.add(new Task<>(submitted++, hostPort, notBefore, request, pending));
      ports.add(hostPort);
      // idle workers count as they wait: one signalled but not yet awake takes one request, not all
      if (queue.size() > idle && workers.size() < perPort * ports.size()) {
        workers.add(sleeper.startThread(name + "-" + (workers.size() + 1), this::work));
      }
      monitor.signalAll();
    } finally {
      monitor.unlock();
    }
    return pending;
  }

  /** Queues {@code request} to be sent now. */
  <T> Pending<T> submit(int hostPort, Supplier<T> request) {
    return submit(hostPort, sleeper.nanoTime(), request);
  }

  /**
   * One request of a list that {@link #inOrder} sends.
   *
   * @param alone whether it waits for every request before it, and every request after it
   *              waits for it: a request that may change what the app answers to the others
   */
  record Ordered<T>(int hostPort, long notBefore, boolean alone, Supplier<T> request) {}

  /**
   * Sends {@code requests} as far as their order matters in that order: one that goes alone
   * is sent once all before it are answered, and those after it once it is; the others go
   * side by side. The answers come back in the order of {@code requests}; a request that threw
   * throws here, the first in that order first.
   */
  <T> List<T> inOrder(List<Ordered<T>> requests) throws InterruptedException {
    List<Pending<T>> pending = new ArrayList<>();
    int answered = 0;
    for (Ordered<T> r : requests) {
      if (r.alone()) {
        for (; answered < pending.size(); answered++) {
          pending.get(answered).get();
        }
      }
      Pending<T> p = submit(r.hostPort(), r.notBefore(), r.request());
      pending.add(p);
      if (r.alone()) {
        p.get();
        answered = pending.size();
      }
    }
    List<T> answers = new ArrayList<>();
    for (Pending<T> p : pending) {
      answers.add(p.get());
    }
    return answers;
  }

  @Override
  public void close() {
    List<Thread> started;
    monitor.lock();
    try {
      closed = true;
      queue.clear();
      started = List.copyOf(workers);
      monitor.signalAll();
    } finally {
      monitor.unlock();
    }
    started.forEach(Thread::interrupt);
    // a run stopped by an interrupt still waits for its workers: the flag is put back after
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
    for (Thread worker : started) {
      while (worker.isAlive() && deadline - System.nanoTime() > 0) {
        try {
          worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A worker: the earliest due request with room on its port, until the pool closes. */
  private void work() {
    monitor.lock();
    try {
      while (!closed) {
        long now = sleeper.nanoTime();
        Task<?> task = null;
        long wake = Long.MAX_VALUE;
        for (Task<?> t : queue) {
          if (t.notBefore > now) {
            wake = t.notBefore; // the queue is in time order: nothing after it is due either
            break;
          }
          if (inFlight.getOrDefault(t.hostPort, 0) < perPort) {
            task = t;
            break;
          }
        }
        if (task == null) {
          idle++;
          try {
            monitor.await(wake);
          } finally {
            idle--;
          }
          continue;
        }
        queue.remove(task);
        inFlight.merge(task.hostPort, 1, Integer::sum);
        monitor.unlock();
        Runnable done;
        try {
          done = task.send();
        } finally {
          monitor.lock();
        }
        inFlight.merge(task.hostPort, -1, Integer::sum);
        done.run();
        monitor.signalAll();
      }
    } catch (InterruptedException e) {
      // closing: the queue is dropped
    } finally {
      monitor.unlock();
    }
  }

  private static final class Task<T> {
    final long order;
    final int hostPort;
    final long notBefore;
    final Supplier<T> request;
    final Pending<T> pending;

    Task(long order, int hostPort, long notBefore, Supplier<T> request, Pending<T> pending) {
      this.order = order;
      this.hostPort = hostPort;
      this.notBefore = notBefore;
      this.request = request;
      this.pending = pending;
    }

    /** Sends the request, outside the lock; what it returns settles the answer, inside it. */
    Runnable send() {
      try {
        T value = request.get();
        return () -> pending.settle(value, null);
      } catch (RuntimeException | Error e) {
        return () -> pending.settle(null, e);
      }
    }
  }

  /** The answer to a queued request, once it is in. */
  final class Pending<T> {
    private T value; // guarded by monitor
    private Throwable failure;
    private boolean done;

    private void settle(T v, Throwable f) {
      value = v;
      failure = f;
      done = true;
    }

    /** Waits for the answer; what the request threw is thrown here. */
    T get() throws InterruptedException {
      monitor.lock();
      try {
        while (!done) {
          monitor.await(Long.MAX_VALUE);
        }
        if (failure instanceof RuntimeException e) {
          throw e;
        }
        if (failure instanceof Error e) {
          throw e;
        }
        return value;
      } finally {
        monitor.unlock();
      }
    }
  }
}
