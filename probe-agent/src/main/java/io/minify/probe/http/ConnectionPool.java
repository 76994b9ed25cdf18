package io.minify.probe.http;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connections the prober keeps open, and what it learnt about each target, per host port
 * and protocol ("auto" may try both on one port). Shared by the crawler's threads.
 *
 * <p>An HTTP/1.1 connection the server keeps open goes back to a small idle pool of its
 * target for the next request; a target that switched to HTTP/2 has one shared HTTP/2
 * connection instead, for all its requests.
 */
final class ConnectionPool {

  /**
   * Idle HTTP/1.1 connections kept per target: the crawler has a few requests in flight
   * (default 4); keeping more would only hold sockets open in the app.
   */
  static final int MAX_IDLE_PER_TARGET = 4;

  private final ConcurrentMap<TargetKey, Target> targets = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** The target at {@code hostPort} in plain HTTP or TLS, known from earlier requests or new. */
  Target target(int hostPort, boolean tls) {
    return targets.computeIfAbsent(new TargetKey(hostPort, tls), key -> new Target());
  }

  /** Closes every kept connection; connections offered later are closed, not kept. */
  void close() {
    closed = true;
    for (Target target : targets.values()) {
      target.closeAll();
    }
  }

  private record TargetKey(int hostPort, boolean tls) {}

  /** Whether a plain-HTTP target speaks h2c, learnt from its answer to an upgrade offer. */
  enum H2c { UNTRIED, YES, NO }

  /** What is known and kept about one target. */
  final class Target {
    private final Deque<Channel> idle = new ArrayDeque<>(); // guarded by this
    private Channel h2; // guarded by this
    private volatile H2c h2c = H2c.UNTRIED;
    /** Answered HTTP/1.1 at least once: only then is the upgrade offered. */
    private volatile boolean answered;
    /** Set while one request carries the upgrade offer: it is made by one request at a time. */
    private final AtomicBoolean offering = new AtomicBoolean();

    private Target() {}

    H2c h2c() {
      return h2c;
    }

    void learnt(H2c support) {
      h2c = support;
    }

    boolean answered() {
      return answered;
    }

    void markAnswered() {
      answered = true;
    }

    /**
     * Forgets h2c and the HTTP/1.1 answer: a new connection that says nothing to HTTP/2 is an
     * app not ready yet, or restarted without h2c, so negotiation starts over with HTTP/1.1.
     */
    void backToHttp1() {
      h2c = H2c.UNTRIED;
      answered = false;
    }

    /** Takes the right to make the upgrade offer; false when another request is making it. */
    boolean claimOffer() {
      return offering.compareAndSet(false, true);
    }

    void releaseOffer() {
      offering.set(false);
    }

    /** The most recently used idle connection still open (the likeliest not to be timed out). */
    synchronized Channel takeIdle() {
      for (Channel channel = idle.pollLast(); channel != null; channel = idle.pollLast()) {
        if (channel.isActive()) {
          return channel;
        }
        channel.close();
      }
      return null;
    }

    /** Keeps {@code channel} for the next request, or closes it when the pool is full or closed. */
    void offerIdle(Channel channel) {
      synchronized (this) {
        if (!closed && idle.size() < MAX_IDLE_PER_TARGET && !idle.contains(channel)) {
          idle.addLast(channel);
          return;
        }
      }
      channel.close();
    }

    synchronized Channel liveH2() {
      if (h2 != null && !h2.isActive()) {
        h2 = null;
      }
      return h2;
    }

    /** Makes {@code channel} the HTTP/2 connection; HTTP/1.1 ones are no longer needed. */
    void useH2(Channel channel) {
      List<Channel> obsolete = new ArrayList<>();
      synchronized (this) {
        if (h2 != null && h2 != channel && h2.isActive()) {
          obsolete.add(channel); // another thread set one up meanwhile: keep a single one
        } else {
          h2 = channel;
        }
        obsolete.addAll(idle);
        idle.clear();
      }
      obsolete.forEach(Channel::close);
    }

    void dropH2(Channel channel) {
      synchronized (this) {
        if (h2 == channel) {
          h2 = null;
        }
      }
      channel.close();
    }

    /** Called once a connection closes, so neither the pool nor HTTP/2 hands it out again. */
    synchronized void forget(Channel channel) {
      idle.remove(channel);
      if (h2 == channel) {
        h2 = null;
      }
    }

    private void closeAll() {
      List<Channel> all;
      synchronized (this) {
        all = new ArrayList<>(idle);
        idle.clear();
        if (h2 != null) {
          all.add(h2);
          h2 = null;
        }
      }
      all.forEach(Channel::close);
    }
  }
}
