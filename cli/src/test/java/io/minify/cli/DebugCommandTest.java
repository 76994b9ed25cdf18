package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.digest.Digest;
import io.minify.engine.AttachedContainerSpec;
import io.minify.engine.AttachedContainerSpec.TerminalSize;
import io.minify.engine.ContainerChange;
import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerInfo;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import io.minify.engine.ContainerStreams;
import io.minify.engine.EngineException;
import io.minify.engine.ExecResult;
import io.minify.engine.ImageInfo;
import io.minify.engine.ImageStore;
import io.minify.engine.NamespaceModes;
import io.minify.engine.UnrunnableCommandException;
import io.minify.image.ImageConfig;
import io.minify.pack.ConfigChanges;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code minify debug} against a fake engine: which container it makes (image, command,
 * namespaces, user, labels), what it refuses and with which code, and that the tools container
 * is gone afterwards whatever happened.
 */
class DebugCommandTest {
  private static final String TARGET_ID = "ab".repeat(32);
  private static final String SLIM_ID = "sha256:" + "5".repeat(64);
  private static final String ORIGINAL_ID = "sha256:" + "0".repeat(64);

  /** The engine: one target container, a slim image made from an original, the attached runs. */
  private static final class Engine implements ContainerEngine {
    final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    final Map<String, ImageInfo> images = new LinkedHashMap<>();
    final List<AttachedContainerSpec> created = new ArrayList<>();
    final List<String> alive = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    /** What a run does with its streams; its exit code. */
    Function<ContainerStreams, Integer> run = streams -> 0;
    boolean started;

    Engine() {
      image(ORIGINAL_ID, List.of("app:1"), Map.of());
      image(SLIM_ID, List.of("app.slim:1"), Map.of(ConfigChanges.SOURCE_IMAGE_LABEL, ORIGINAL_ID));
      containers.put(TARGET_ID, new ContainerInfo(TARGET_ID, "web", "app.slim:1", SLIM_ID, true,
          new NamespaceModes("", "bridge", "private")));
    }

    void image(String id, List<String> tags, Map<String, String> labels) {
      ImageInfo info = new ImageInfo(Digest.parse(id), tags, 1, 1, new ImageConfig(List.of(), List.of("/app"),
          List.of(), "", "", List.of(), List.of(), labels, null));
      images.put(id, info);
      tags.forEach(t -> images.put(t, info));
    }

    @Override
    public String version() {
      return "fake";
    }

    @Override
    public ImageStore images() {
      return new ImageStore() {
        @Override
        public Optional<ImageInfo> inspectImage(String reference) {
          return Optional.ofNullable(images.get(reference));
        }

        @Override
        public InputStream saveImage(String reference) {
          throw new UnsupportedOperationException("saveImage");
        }

        @Override
        public void loadImage(Path archive) {
          throw new UnsupportedOperationException("loadImage");
        }

        @Override
        public void tagImage(String imageId, String repository, String tag) {
          throw new UnsupportedOperationException("tagImage");
        }

        @Override
        public void removeImage(String reference) {
          throw new UnsupportedOperationException("removeImage");
        }
      };
    }

    @Override
    public ContainerRuntime containers() {
      return new Runtime();
    }

    @Override
    public void close() {}

    /** Only what debug asks; the rest fails the test naming the call. */
    private final class Runtime implements ContainerRuntime {
      @Override
      public Optional<ContainerInfo> inspectContainer(String nameOrId) {
        return containers.values().stream().filter(c -> c.id().equals(nameOrId) || c.name().equals(nameOrId))
            .findFirst();
      }

      @Override
      public String createAttached(AttachedContainerSpec spec) {
        created.add(spec);
        String id = "tools-" + created.size();
        alive.add(id);
        return id;
      }

      @Override
      public int runAttached(String containerId, ContainerStreams streams, Runnable started) {
        assertTrue(alive.contains(containerId));
        Engine.this.started = true;
        started.run();
        return run.apply(streams);
      }

      @Override
      public void resizeTerminal(String containerId, TerminalSize size) {}

      @Override
      public void removeContainer(String containerId) {
        alive.remove(containerId);
        removed.add(containerId);
      }

      @Override
      public String createContainer(ContainerSpec spec) {
        throw new UnsupportedOperationException("createContainer");
      }

      @Override
      public void startContainer(String containerId) {
        throw new UnsupportedOperationException("startContainer");
      }

      @Override
      public ContainerState containerState(String containerId) {
        throw new UnsupportedOperationException("containerState");
      }

      @Override
      public Map<Integer, Integer> publishedPorts(String containerId) {
        throw new UnsupportedOperationException("publishedPorts");
      }

      @Override
      public List<String> logTail(String containerId, int lines) {
        throw new UnsupportedOperationException("logTail");
      }

      @Override
      public List<ContainerChange> changes(String containerId) {
        throw new UnsupportedOperationException("changes");
      }

      @Override
      public SortedSet<Integer> processUids(String containerId) {
        throw new UnsupportedOperationException("processUids");
      }

      @Override
      public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        throw new UnsupportedOperationException("exec");
      }

      @Override
      public void stopContainer(String containerId, Duration grace) {
        throw new UnsupportedOperationException("stopContainer");
      }

      @Override
      public List<String> containersWithLabel(String filter) {
        throw new UnsupportedOperationException("containersWithLabel");
      }
    }
  }

  private final Engine engine = new Engine();
  private MemoryTerminal terminal = new MemoryTerminal(false, "");

  private record Run(int exitCode, String err) {}

  private Run debug(String... args) {
    List<String> all = new ArrayList<>(List.of("debug"));
    all.addAll(List.of(args));
    return debugWith(() -> engine, all);
  }

  private Run debugWith(java.util.function.Supplier<ContainerEngine> engines, List<String> args) {
    CommandLine cmd = MinifyCommand.newCommandLine(engines, terminal);
    StringWriter err = new StringWriter();
    cmd.setErr(new PrintWriter(err, true));
    cmd.setOut(new PrintWriter(new StringWriter(), true));
    return new Run(cmd.execute(args.toArray(String[]::new)), err.toString());
  }

  private static void write(OutputStream to, String text) {
    try {
      to.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aCommandRunsInTheTargetsNamespacesItsOutputOnStdoutItsExitCodeMinifys() {
    engine.run = streams -> {
      write(streams.stdout(), "bin\netc\nusr\n");
      write(streams.stderr(), "ls: a warning\n");
      return 7;
    };

    Run run = debug("--image", "app:1", "web", "ls", "-la", "/proc/1/root");

    assertEquals(7, run.exitCode(), run.err());
    assertEquals("bin\netc\nusr\n", terminal.out.toString(StandardCharsets.UTF_8));
    assertEquals("ls: a warning\n", terminal.err.toString(StandardCharsets.UTF_8));
    AttachedContainerSpec spec = engine.created.get(0);
    assertEquals("app:1", spec.image());
    assertEquals(List.of("ls", "-la", "/proc/1/root"), spec.command(), "options after CONTAINER are COMMAND's");
    assertEquals(new NamespaceModes("container:" + TARGET_ID, "container:" + TARGET_ID, null), spec.namespaces());
    assertEquals("0", spec.user());
    assertEquals(List.of("SYS_PTRACE"), spec.capAdd());
    assertFalse(spec.tty(), "stdin is no terminal");
    assertTrue(spec.name().matches("minify-debug-web-[0-9a-f]{8}"), spec.name());
    assertEquals(TARGET_ID, spec.labels().get(DebugCommand.TARGET_LABEL));
    assertTrue(spec.labels().get(ContainerSpec.OWNER_LABEL).matches("[0-9a-f]{32}"), spec.labels().toString());
    assertEquals(List.of("tools-1"), engine.removed);
    // the target's IPC is private (the engine's default): said once, the rest goes on
    assertEquals("minify: warning: container 'web' does not share its IPC namespace (IPC mode private): the tools"
        + " container has its own (start the container with --ipc shareable to share it)\n", run.err());
  }

  @Test
  void aShareableIpcIsJoinedWithoutAWord() {
    engine.containers.put(TARGET_ID, new ContainerInfo(TARGET_ID, "web", "app.slim:1", SLIM_ID, true,
        new NamespaceModes("", "bridge", "shareable")));
    Run run = debug("--image", "app:1", "web", "--", "true");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    assertEquals("container:" + TARGET_ID, engine.created.get(0).namespaces().ipc());
    assertEquals(List.of("true"), engine.created.get(0).command());
  }

  @Test
  void theDefaultIsAShellFromTheTargetsOwnImageById() {
    engine.containers.put(TARGET_ID, new ContainerInfo(TARGET_ID, "web", "app:1", ORIGINAL_ID, true,
        new NamespaceModes("", "bridge", "shareable")));
    assertEquals(0, debug(TARGET_ID.substring(0, 64)).exitCode());
    assertEquals(ORIGINAL_ID, engine.created.get(0).image(), "the image it was made from, even if its tag moved");
    assertEquals(List.of("sh"), engine.created.get(0).command());
  }

  @Test
  void atATerminalTheToolsContainerGetsOneAndTheLocalOneIsRawUntilTheEnd() {
    terminal = new MemoryTerminal(true, "");
    engine.run = streams -> {
      assertEquals(1, terminal.rawNow, "raw while it runs");
      return 0;
    };
    assertEquals(0, debug("--image", "app:1", "web").exitCode());
    assertTrue(engine.created.get(0).tty());
    assertEquals(0, terminal.rawNow, "restored");
    assertEquals(1, terminal.rawEver);

    engine.run = streams -> 0;
    assertEquals(0, debug("--no-tty", "--image", "app:1", "web").exitCode());
    assertFalse(engine.created.get(1).tty());
    assertEquals(1, terminal.rawEver, "--no-tty leaves the terminal as it is");

    terminal = new MemoryTerminal(false, "");
    assertEquals(0, debug("--tty", "--image", "app:1", "web").exitCode());
    assertTrue(engine.created.get(2).tty());
    assertEquals(0, terminal.rawEver, "no local terminal to put in raw mode");
  }

  @Test
  void stdinGoesToTheContainer() {
    terminal = new MemoryTerminal(false, "ls /proc/1/root\n");
    engine.run = streams -> {
      try {
        write(streams.stdout(), new String(streams.stdin().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return 0;
    };
    assertEquals(0, debug("--image", "app:1", "web").exitCode());
    assertEquals("ls /proc/1/root\n", terminal.out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aSlimTargetGetsTheOriginalItWasMadeFromAsItsToolsImage() {
    Run run = debug("web", "ls", "/proc/1/root");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(ORIGINAL_ID, engine.created.get(0).image(), "the original has the shell the slim image lacks");
    assertTrue(run.err().lines().anyMatch(("minify: debug: tools image app:1, the original minify made app.slim:1 from"
        + " (a slim image has no shell; --image names another)")::equals), run.err());

    Run given = debug("--image", "tools:1", "web", "true");
    assertEquals(2, given.exitCode(), "--image is taken as given: " + given.err());
    assertFalse(given.err().contains("minify: debug: tools image"), given.err());
  }

  @Test
  void aSlimImageWithoutAShellNamesWhatToPass() {
    engine.run = streams -> {
      throw new UnrunnableCommandException("starting container tools-1 failed: ...",
          "exec: \"sh\": executable file not found in $PATH");
    };
    // an original without the shell either: said of the original, the image that ran
    Run run = debug("web");
    assertEquals(2, run.exitCode(), run.err());
    assertEquals("minify: error: the original image 'app:1' has no sh (exec: \"sh\": executable file not found in"
        + " $PATH): pass a tools image that has one with --image, or give a COMMAND it has\n",
        run.err().substring(run.err().indexOf("minify: error:")));
    assertEquals(ORIGINAL_ID, engine.created.get(0).image());
    assertEquals(List.of(), engine.alive, "the tools container that did not start is removed");

    // the containerd image store does not find an image by its config digest, the label's id
    engine.images.remove(ORIGINAL_ID);
    Run unnamed = debug("web");
    assertEquals(2, unnamed.exitCode(), unnamed.err());
    assertEquals(SLIM_ID, engine.created.get(1).image(), "then the target's own image");
    assertTrue(unnamed.err().endsWith("image 'app.slim:1' of container 'web' has no sh (exec: \"sh\": executable file"
        + " not found in $PATH): minify made it from the image with content id " + ORIGINAL_ID + " (the engine finds"
        + " none by that id): pass that original, or any image with a shell, with --image, or give a COMMAND it"
        + " has\n"), unnamed.err());

    Run given = debug("--image", "app.slim:1", "web", "ls");
    assertEquals(2, given.exitCode(), given.err());
    assertTrue(given.err().endsWith("minify: error: --image 'app.slim:1' cannot run 'ls' (exec: \"sh\": executable"
        + " file not found in $PATH)\n"), given.err());
  }


  @Test
  void refusalsAreOneLineWithTheirCodeAndCreateNothing() {
    Run unknown = debug("nosuch");
    assertEquals(2, unknown.exitCode());
    assertEquals("minify: error: container 'nosuch' is not in the engine (docker ps -a lists them)\n", unknown.err());

    engine.containers.put("c2", new ContainerInfo("c2", "stopped", "app:1", ORIGINAL_ID, false,
        NamespaceModes.own()));
    Run stopped = debug("stopped");
    assertEquals(2, stopped.exitCode());
    assertEquals("minify: error: container 'stopped' is not running: minify debug joins a running container (start"
        + " it first)\n", stopped.err());

    Run missing = debug("--image", "tools:9", "web");
    assertEquals(2, missing.exitCode());
    assertEquals("minify: error: --image 'tools:9' is not in the local engine (minify never pulls: build or load it"
        + " first)\n", missing.err());

    Run badReference = debug("--image", "Not An Image", "web");
    assertEquals(2, badReference.exitCode());
    assertTrue(badReference.err().startsWith("minify: error: --image 'Not An Image' is neither an image reference"),
        badReference.err());
    assertEquals(1, badReference.err().lines().count());

    Run both = debug("--tty", "--no-tty", "web");
    assertEquals(2, both.exitCode());
    assertEquals(1, both.err().lines().count(), both.err());
    assertTrue(both.err().contains("--tty") && both.err().contains("--no-tty"), both.err());

    Run none = debug();
    assertEquals(2, none.exitCode());
    assertTrue(none.err().contains("CONTAINER"), none.err());

    Run unreachable = debugWith(() -> {
      throw new EngineException("no Docker engine answers at unix:///var/run/docker.sock: Connection refused");
    }, List.of("debug", "web"));
    assertEquals(3, unreachable.exitCode());
    assertEquals("minify: error: no Docker engine answers at unix:///var/run/docker.sock: Connection refused\n",
        unreachable.err());
    assertEquals(List.of(), engine.created);
  }

  @Test
  void anEngineFailureMidRunIsThreeAndTheToolsContainerIsStillRemoved() {
    engine.run = streams -> {
      throw new EngineException("waiting for container tools-1 failed: Connection reset");
    };
    Run run = debug("--image", "app:1", "web", "true");
    assertEquals(3, run.exitCode());
    assertTrue(run.err().endsWith("minify: error: waiting for container tools-1 failed: Connection reset\n"),
        run.err());
    assertEquals(List.of("tools-1"), engine.removed);
  }

  @Test
  void theMissingSubcommandLineNamesDebug() {
    Run run = debugWith(() -> engine, List.of());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("'minify debug --help'"), run.err());
  }
}
