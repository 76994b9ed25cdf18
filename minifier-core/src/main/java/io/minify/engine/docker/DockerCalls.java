package io.minify.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.DockerException;
import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import java.io.IOException;
import java.time.Duration;

/**
 * How a docker-java call's failure becomes an {@link EngineException} in the engine's own
 * words, on one line, for both sides of the engine.
 */
final class DockerCalls {

  /** How long an undo waits for an engine that stopped answering (restarting) to answer again. */
  private static final Duration ENGINE_RETURN = Duration.ofSeconds(45);
  private static final Duration ENGINE_RETURN_POLL = Duration.ofSeconds(1);

  private DockerCalls() {}

  interface EngineCall<T> {
    T run();
  }

  static <T> T call(String what, EngineCall<T> action) {
    try {
      return action.run();
    } catch (DockerException e) {
      throw new EngineException(what + " failed: " + firstLine(e.getMessage()), e);
    } catch (RuntimeException e) {
      if (e instanceof EngineException) {
        throw e;
      }
      throw new EngineException(what + " failed: " + oneLine(rootMessage(e)), e);
    }
  }

  /**
   * An error status is the engine's answer, not its absence: {@code docker diff} of a
   * container whose image holds a path longer than the engine can lstat fails so, on an
   * engine that works.
   */
  static <T> T refusedInItsOwnWords(String what, EngineCall<T> action) {
    try {
      return action.run();
    } catch (DockerException e) {
      if (e.getHttpStatus() >= 400) {
        String said = firstLine(e.getMessage());
        throw new EngineRefusedException(what + " failed: " + said, said);
      }
      throw e;
    }
  }

  /**
   * Runs an undo (a removal), again and again while the engine does not answer at all: an
   * engine that restarts mid-build is back within seconds, and its containers are still there
   * (stopped), so a build that gave up at once would leave them behind. An answer, even a
   * refusal, ends the wait.
   */
  static void whileTheEngineIsBack(String what, Runnable removal) {
    long deadline = System.nanoTime() + ENGINE_RETURN.toNanos();
    while (true) {
      try {
        removal.run();
        return;
      } catch (EngineException answered) {
        throw answered;
      } catch (RuntimeException unreachable) {
        if (System.nanoTime() > deadline) {
          throw new EngineException(what + " failed: the engine did not answer again within "
              + ENGINE_RETURN.toSeconds() + "s (" + rootMessage(unreachable) + ")", unreachable);
        }
        try {
          Thread.sleep(ENGINE_RETURN_POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineException(what + " failed: interrupted while the engine did not answer", e);
        }
      }
    }
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    String m = message.strip();
    // docker-java prefixes "Status 404: {"message":"..."}"; keep the engine's own words, quotes
    // and all ("checksum failed for \"../etc/x\"" must not end at its first escaped quote)
    int json = m.indexOf('{');
    if (json >= 0) {
      try {
        JsonNode said = DockerConnection.JSON.readTree(m.substring(json)).path("message");
        if (said.isTextual()) {
          m = said.asText().strip();
        }
      } catch (IOException notJson) {
        // the message as docker-java gave it
      }
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** The engine's messages can span lines; ours are one line each. */
  static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort; nothing useful to do with the failure
    }
  }
}
