package io.minify.engine.docker;

import static io.minify.engine.docker.DockerCalls.call;
import static io.minify.engine.docker.DockerCalls.closeQuietly;
import static io.minify.engine.docker.DockerCalls.oneLine;
import static io.minify.engine.docker.DockerCalls.rootMessage;
import static io.minify.engine.docker.DockerCalls.shortId;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import io.minify.engine.ContainerStreams;
import io.minify.engine.EngineException;
import io.minify.engine.ExecResult;
import io.minify.engine.UnrunnableCommandException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container calls that answer with a stream of output frames (attach, logs, exec), each
 * read to its end and checked: the engine sends its status before it knows how the call ends.
 */
final class DockerContainerStreams {

  /** Output kept per exec: enough for an error line, bounded for chatty commands. */
  private static final int EXEC_OUTPUT_LIMIT = 8192;
  /** How often the exit code is asked for when the output ended before the engine recorded it. */
  private static final Duration EXIT_POLL = Duration.ofMillis(20);
  /** Log bytes read for an error message (the tail of lines asked for is usually far less). */
  private static final int LOG_BYTES_LIMIT = 1 << 20;
  private static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);
  /** How long an attach may take to be in place before the container starts. */
  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(10);

  /** How long output may still arrive after the engine reported the exit. */
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(10);
  /**
   * How the runtime says it could not exec a container's command, under the engine's prefixes
   * (runc: {@code exec: "sh": executable file not found in $PATH}, {@code exec: "/x": stat /x:
   * no such file or directory}, {@code exec: "/etc": permission denied}; crun: {@code executable
   * file `sh` not found in $PATH}).
   */
  static final Pattern UNRUNNABLE = Pattern.compile(
      "exec: \"[^\"]*\": .*?(?=(: unknown)?$)|executable file \\S+ not found in \\$PATH|exec format error");

  private final DockerClient docker;

  DockerContainerStreams(DockerClient docker) {
    this.docker = docker;
  }

  AutoCloseable followOutput(String containerId, Consumer<byte[]> stdout, Runnable ended) {
    // attach, not logs: it does not depend on the engine's log driver, and its frames are the
    // container's bytes as written
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        if (frame.getStreamType() == StreamType.STDOUT || frame.getStreamType() == StreamType.RAW) {
          stdout.accept(frame.getPayload());
        }
      }

      @Override
      public void onComplete() {
        super.onComplete();
        ended.run();
      }

      @Override
      public void onError(Throwable throwable) {
        super.onError(throwable);
        ended.run();
      }
    };
    call("attaching to container " + shortId(containerId), () -> docker.attachContainerCmd(containerId)
        .withStdOut(true).withStdErr(false).withFollowStream(true).exec(callback));
    try {
      // the attach is in place once the engine answered it; before that, start could race it
      callback.awaitStarted(ATTACH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while attaching to container " + shortId(containerId), e);
    }
    return callback;
  }

  int runAttached(String containerId, ContainerStreams streams, Runnable started) {
    AttachedOutput output = new AttachedOutput(streams);
    // with stdin the attach is a hijacked connection, docker-java copying the input on a thread
    // of its own (when no StdinAttach carries it)
    call("attaching to container " + shortId(containerId), () -> {
      var attach = docker.attachContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true);
      if (streams.stdin() != null) {
        attach.withStdIn(streams.stdin());
      }
      return attach.exec(output);
    });
    try {
      try {
        output.awaitStarted(ATTACH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException("interrupted while attaching to container " + shortId(containerId), e);
      }
      start(containerId);
      started.run();
      int code = call("waiting for container " + shortId(containerId), () -> docker.waitContainerCmd(containerId)
          .exec(new WaitContainerResultCallback()).awaitStatusCode());
      try {
        // the exit can be reported a moment before the last output has come through
        output.awaitCompletion(OUTPUT_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return code;
    } finally {
      closeQuietly(output);
    }
  }

  /** Starts a container; a command the runtime cannot exec is the image's or the user's fault, said so. */
  private void start(String containerId) {
    try {
      docker.startContainerCmd(containerId).exec();
    } catch (DockerException e) {
      String said = DockerCalls.firstLine(e.getMessage());
      Matcher unrunnable = UNRUNNABLE.matcher(said);
      if (unrunnable.find()) {
        throw new UnrunnableCommandException("starting container " + shortId(containerId) + " failed: " + said,
            unrunnable.group());
      }
      throw new EngineException("starting container " + shortId(containerId) + " failed: " + said, e);
    } catch (RuntimeException e) {
      throw new EngineException("starting container " + shortId(containerId) + " failed: " + oneLine(rootMessage(e)),
          e);
    }
  }

  /** An attached container's output frames, to the streams they belong to, as they come. */
  private static final class AttachedOutput extends ResultCallback.Adapter<Frame> {
    private final ContainerStreams streams;
    /** A local stream that was closed (a pipe whose reader left): the rest for it is dropped. */
    private boolean stdoutGone;
    private boolean stderrGone;

    AttachedOutput(ContainerStreams streams) {
      this.streams = streams;
    }

    @Override
    public void onNext(Frame frame) {
      if (frame.getStreamType() == StreamType.STDERR) {
        stderrGone = stderrGone || !write(streams.stderr(), frame.getPayload());
      } else if (frame.getStreamType() == StreamType.STDOUT || frame.getStreamType() == StreamType.RAW) {
        stdoutGone = stdoutGone || !write(streams.stdout(), frame.getPayload());
      }
    }

    private static boolean write(OutputStream to, byte[] bytes) {
      try {
        to.write(bytes);
        to.flush();
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  List<String> logTail(String containerId, int lines) {
    // logs are text for a person to read: decoded once at the end, so a character split
    // across two frames stays whole
    TailBuffer bytes = new TailBuffer(LOG_BYTES_LIMIT);
    boolean complete;
    try {
      complete = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              bytes.append(frame.getPayload());
            }
          }).awaitCompletion(LOG_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("(container logs unavailable: interrupted)");
    } catch (RuntimeException e) {
      return List.of("(container logs unavailable: " + oneLine(rootMessage(e)) + ")");
    }
    Deque<String> tail = new ArrayDeque<>();
    for (String line : new String(bytes.bytes(), StandardCharsets.UTF_8).split("\r?\n")) {
      if (!line.isEmpty()) {
        tail.addLast(line);
      }
      if (tail.size() > lines) {
        tail.removeFirst();
      }
    }
    if (!complete) {
      tail.addLast("(container log cut off: the engine sent no more within " + LOG_TIMEOUT.toSeconds() + " s)");
    }
    return List.copyOf(tail);
  }

  /**
   * Runs the command attached to its output. The output stream ends when the command closes
   * it, which can be a moment before the engine records the exit code (or long before, when
   * a child keeps running): the exit code is asked for until the engine has one or the
   * timeout passes, never guessed. A stream that breaks (the engine fails) is an
   * {@link EngineException}, not an exit code.
   */
  ExecResult exec(String containerId, List<String> command, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    String execId = call("creating an exec in " + shortId(containerId), () -> docker.execCreateCmd(containerId)
        .withCmd(command.toArray(String[]::new)).withAttachStdout(true).withAttachStderr(true).exec().getId());
    TailBuffer output = new TailBuffer(EXEC_OUTPUT_LIMIT);
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        output.append(frame.getPayload());
      }
    };
    boolean streamEnded;
    try {
      streamEnded = call("running " + command + " in " + shortId(containerId), () -> {
        try {
          return docker.execStartCmd(execId).exec(callback).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineException("interrupted while running " + command, e);
        }
      });
    } finally {
      closeQuietly(callback);
    }
    Long code = streamEnded ? exitCode(execId, deadline) : null;
    return new ExecResult(code == null ? -1 : code.intValue(), output.bytes(),
        Duration.ofNanos(System.nanoTime() - start), code == null);
  }

  /** The exec's exit code once the engine has recorded it; null when it still runs at {@code deadline}. */
  private Long exitCode(String execId, long deadline) {
    while (true) {
      InspectExecResponse state = call("inspecting an exec", () -> docker.inspectExecCmd(execId).exec());
      if (!Boolean.TRUE.equals(state.isRunning()) && state.getExitCodeLong() != null) {
        return state.getExitCodeLong();
      }
      if (System.nanoTime() > deadline) {
        return null;
      }
      try {
        Thread.sleep(EXIT_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException("interrupted while waiting for an exec to end", e);
      }
    }
  }
}
