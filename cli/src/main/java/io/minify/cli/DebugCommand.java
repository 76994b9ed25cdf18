package io.minify.cli;

import io.minify.engine.AttachedContainerSpec;
import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerInfo;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.ContainerStreams;
import io.minify.engine.EngineException;
import io.minify.engine.ImageInfo;
import io.minify.engine.ImageStore;
import io.minify.engine.NamespaceModes;
import io.minify.engine.UnrunnableCommandException;
import io.minify.engine.docker.DockerJavaEngine;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import io.minify.failure.Failures;
import io.minify.image.ImageReference;
import io.minify.image.WorkFiles;
import io.minify.pack.ConfigChanges;
import io.minify.pipeline.HostFacts;
import io.minify.pipeline.OwnerLabels;
import io.minify.run.SignalTrap;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code minify debug CONTAINER}: a tools container in a running container's PID, network and
 * IPC namespaces, so a slim container without a shell can be looked into.
 */
@Command(
    name = "debug",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs a shell beside a running CONTAINER, in its namespaces.",
        "",
        "The shell (or COMMAND) runs in a tools container that shares CONTAINER's processes, network and IPC.",
        "CONTAINER's filesystem is at /proc/1/root in it; its processes are in ps, its ports on localhost.",
        "The tools image is, for a slim image minify made, the original it was made from (when the engine finds it),"
            + " else CONTAINER's own image; --image names another. It must be in the engine already: minify never"
            + " pulls.",
        "The tools container runs as root with CAP_SYS_PTRACE (to reach /proc/1/root whatever user CONTAINER runs"
            + " as), and is removed when COMMAND ends, on Ctrl-C and on SIGTERM.",
        "It is interactive (a terminal, the local one in raw mode) when stdin and stdout are a terminal; otherwise"
            + " stdin, stdout and stderr are streamed, for scripts. The exit code is COMMAND's.",
        "IPC is shared only when CONTAINER was started with --ipc shareable (the engine's default is private);"
            + " otherwise a warning says so and the rest is shared."})
public final class DebugCommand implements Callable<Integer> {

  /** How the tools containers' names begin: {@code docker ps} shows them for what they are. */
  static final String NAME_PREFIX = "minify-debug-";
  /** Label naming the container a tools container debugs (its id). */
  static final String TARGET_LABEL = "io.minify.debug-target";
  /** The command when none is given. */
  static final String DEFAULT_COMMAND = "sh";
  /** Root with CAP_SYS_PTRACE may read any process's /proc/PID/root in the shared PID namespace. */
  private static final String TOOLS_USER = "0";
  private static final List<String> TOOLS_CAPABILITIES = List.of("SYS_PTRACE");
  private static final int NAME_PART_MAX = 40;

  private final Supplier<ContainerEngine> engines;
  private final LocalTerminal terminal;
  private final HostFacts host;

  public DebugCommand() {
    this(DockerJavaEngine::connect, LocalTerminal.ofProcess(), HostFacts.proc());
  }

  DebugCommand(Supplier<ContainerEngine> engines, LocalTerminal terminal, HostFacts host) {
    this.engines = engines;
    this.terminal = terminal;
    this.host = host;
  }

  @Parameters(index = "0", paramLabel = "CONTAINER", description = "A running container: its name or id.")
  String container;

  @Parameters(index = "1..*", paramLabel = "COMMAND",
      description = "What to run in the tools container, with its arguments (default: sh). Everything after"
          + " CONTAINER is COMMAND, options too.")
  List<String> command = new ArrayList<>();

  @Option(names = "--image", paramLabel = "IMAGE",
      description = "The tools image (repo:tag or id). Default: the original a slim CONTAINER was made from, when"
          + " the engine has it; else the image CONTAINER was created from.")
  String image;

  @ArgGroup(exclusive = true)
  TerminalChoice terminalChoice;

  /** Whether the tools container gets a terminal; unset: when this one is a terminal. */
  static final class TerminalChoice {
    @Option(names = "--tty", required = true,
        description = "Give the tools container a terminal even when stdin and stdout are not one.")
    boolean tty;

    @Option(names = "--no-tty", required = true,
        description = "Stream stdin, stdout and stderr even at a terminal (no terminal in the tools container).")
    boolean noTty;
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** What annotations cannot check; one clear sentence per problem. */
  void validate() {
    CommandLine line = spec.commandLine();
    // everything after CONTAINER is COMMAND (stop at positional), so a "--" before it arrives here
    if (!command.isEmpty() && command.get(0).equals("--")) {
      command = new ArrayList<>(command.subList(1, command.size()));
    }
    if (container.isBlank()) {
      throw new CommandLine.ParameterException(line, "CONTAINER must not be empty");
    }
    if (image != null && !ImageReference.isImageName(image)) {
      throw new CommandLine.ParameterException(line, "--image '" + image + "' is neither an image reference"
          + " ([REGISTRY/]NAME[:TAG][@DIGEST], the name in lower case) nor an image id");
    }
    if (!command.isEmpty() && command.get(0).isEmpty()) {
      throw new CommandLine.ParameterException(line, "COMMAND must not be empty");
    }
  }

  @Override
  public Integer call() {
    validate();
    PrintWriter err = spec.commandLine().getErr();
    ContainerEngine engine;
    try {
      engine = engines.get();
    } catch (EngineException e) {
      return fail(err, FailureKind.ENVIRONMENT, e.getMessage());
    }
    try (engine) {
      return debug(engine, err);
    } catch (BuildException e) {
      return fail(err, e.kind(), e.getMessage());
    } catch (EngineException e) {
      return fail(err, Failures.kindOf(e), e.getMessage());
    }
  }

  private int debug(ContainerEngine engine, PrintWriter err) throws BuildException {
    ContainerRuntime containers = engine.containers();
    ContainerInfo target = containers.inspectContainer(container).orElseThrow(() -> new BuildException(
        FailureKind.BAD_INPUT, "container '" + container + "' is not in the engine (docker ps -a lists them)"));
    if (!target.running()) {
      throw new BuildException(FailureKind.BAD_INPUT, "container '" + container + "' is not running: minify debug"
          + " joins a running container (start it first)");
    }
    Optional<ImageInfo> original = image != null ? Optional.empty() : originalOf(target, engine.images());
    String tools = image != null ? image : original.map(i -> i.id().toString()).orElse(target.imageId());
    ImageInfo toolsImage = engine.images().inspectImage(tools).orElseThrow(() -> new BuildException(
        FailureKind.BAD_INPUT, image != null
            ? "--image '" + image + "' is not in the local engine (minify never pulls: build or load it first)"
            : "the image container '" + container + "' was created from (" + target.image() + ", " + target.imageId()
                + ") is no longer in the engine: name a tools image with --image"));
    if (original.isPresent()) {
      err.println("minify: debug: tools image " + nameOf(toolsImage) + ", the original minify made " + target.image()
          + " from (a slim image has no shell; --image names another)");
      err.flush();
    }
    NamespaceModes namespaces = NamespaceModes.joining(target);
    if (!namespaces.ipcShared()) {
      err.println("minify: warning: container '" + container + "' does not share its IPC namespace (IPC mode "
          + describe(target.namespaces().ipc()) + "): the tools container has its own (start the container with"
          + " --ipc shareable to share it)");
      err.flush();
    }
    boolean tty = terminalChoice != null ? terminalChoice.tty : terminal.isTerminal();
    List<String> run = command.isEmpty() ? List.of(DEFAULT_COMMAND) : command;
    Map<String, String> labels = new LinkedHashMap<>(OwnerLabels.ofThisProcess(host, WorkFiles.defaultRoot(),
        "debug"));
    labels.put(TARGET_LABEL, target.id());
    String id = containers.createAttached(new AttachedContainerSpec(toolsName(target), tools, run, TOOLS_USER,
        TOOLS_CAPABILITIES, namespaces, labels, tty));
    try (ToolsSession session = ToolsSession.open(containers, id)) {
      return attached(containers, id, tty, err, session);
    } catch (UnrunnableCommandException e) {
      throw new BuildException(FailureKind.BAD_INPUT, unrunnable(target, toolsImage, engine.images(), e), List.of(), e);
    }
  }

  /** Runs the tools container on this process's streams; its exit code, or the signal's. */
  private int attached(ContainerRuntime containers, String id, boolean tty, PrintWriter err, ToolsSession session) {
    boolean local = tty && terminal.isTerminal();
    List<SignalTrap> resizes = new ArrayList<>();
    Runnable started = () -> {
      if (local) {
        terminal.size().ifPresent(size -> containers.resizeTerminal(id, size));
        try {
          resizes.add(SignalTrap.on("WINCH", () -> terminal.size().ifPresent(size -> containers.resizeTerminal(id,
              size))));
        } catch (IllegalStateException noSignals) {
          // the size stays the first one
        }
      }
    };
    AutoCloseable raw = () -> { };
    if (local) {
      try {
        raw = terminal.raw();
      } catch (IOException e) {
        err.println("minify: warning: cannot put the terminal in raw mode (" + e.getMessage() + "): keys go through"
            + " line by line");
        err.flush();
      }
    }
    int code;
    try {
      code = containers.runAttached(id, new ContainerStreams(terminal.in(), terminal.out(), terminal.err()), started);
    } catch (EngineException e) {
      if (session.signal().isEmpty()) {
        throw e;
      }
      code = -1; // removed under it by the signal
    } finally {
      resizes.forEach(SignalTrap::close);
      try {
        raw.close();
      } catch (Exception e) {
        err.println("minify: warning: cannot restore the terminal (" + e.getMessage() + "): run 'stty sane'");
        err.flush();
      }
    }
    Optional<FailureKind> signal = session.signal();
    if (signal.isPresent()) {
      err.println("minify: debug ended by " + SignalAbort.name(signal.get()) + "; the tools container is removed");
      err.flush();
      return signal.get().exitCode();
    }
    return code;
  }

  /** Why the tools container could not start its command, and what to pass instead. */
  private String unrunnable(ContainerInfo target, ImageInfo toolsImage, ImageStore images,
      UnrunnableCommandException e) {
    String named = image != null ? "--image '" + image + "'"
        : !toolsImage.id().toString().equals(target.imageId()) ? "the original image '" + nameOf(toolsImage) + "'"
            : "image '" + target.image() + "' of container '" + container + "'";
    String hint = "pass a tools image that has one with --image";
    String source = toolsImage.config().labels().get(ConfigChanges.SOURCE_IMAGE_LABEL);
    if (source != null) {
      // a slim image names the image it was made from, which had the shell and tools its build
      // dropped; the label is the original's content id (its config digest): the classic image
      // store finds the image by it, the containerd store (which names images by their manifest) does not
      Optional<String> original = images.inspectImage(source)
          .map(i -> i.repoTags().stream().findFirst().orElse(source));
      hint = original.isPresent() ? "minify made it from " + original.get() + ": pass that with --image "
          + original.get()
          : "minify made it from the image with content id " + source + " (the engine finds none by that id): pass"
              + " that original, or any image with a shell, with --image";
    }
    if (!command.isEmpty()) {
      return named + " cannot run '" + command.get(0) + "' (" + e.reason() + ")"
          + (image == null && source != null ? ": " + hint : "");
    }
    return named + " has no " + DEFAULT_COMMAND + " (" + e.reason() + "): " + hint + ", or give a COMMAND it has";
  }

  /**
   * The image a slim target was made from, when the engine still has it: the default tools
   * image, since it has the shell and tools the build dropped. Found by the slim image's label,
   * the original's content id, which the classic image store resolves and the containerd store
   * (naming images by their manifests) does not: there the target's own image stays the default.
   */
  private static Optional<ImageInfo> originalOf(ContainerInfo target, ImageStore images) {
    return images.inspectImage(target.imageId())
        .map(i -> i.config().labels().get(ConfigChanges.SOURCE_IMAGE_LABEL))
        .flatMap(images::inspectImage);
  }

  /** An image's first tag, or its id when it has none. */
  private static String nameOf(ImageInfo image) {
    return image.repoTags().stream().findFirst().orElse(image.id().toString());
  }

  /** {@code minify-debug-<target's name>-<random>}: unique, and says what it is for. */
  private static String toolsName(ContainerInfo target) {
    String name = target.name().replaceAll("[^a-zA-Z0-9_.-]", "-");
    if (name.isEmpty()) {
      name = target.id().substring(0, Math.min(12, target.id().length()));
    }
    if (name.length() > NAME_PART_MAX) {
      name = name.substring(0, NAME_PART_MAX);
    }
    return NAME_PREFIX + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String describe(String ipcMode) {
    return ipcMode == null || ipcMode.isEmpty() ? "private" : ipcMode;
  }

  private static int fail(PrintWriter err, FailureKind kind, String message) {
    err.println("minify: error: " + message);
    err.flush();
    return kind.exitCode();
  }

  /**
   * The tools container while it runs: removed when closed, and at once on SIGINT or SIGTERM
   * (the attached run then ends); a second signal exits at once. A JVM that cannot trap
   * signals removes it from a shutdown hook.
   */
  static final class ToolsSession implements AutoCloseable {
    private final ContainerRuntime containers;
    private final String id;
    private final AtomicReference<FailureKind> signal = new AtomicReference<>();
    private final List<SignalTrap> traps = new ArrayList<>();
    private Thread fallbackHook;

    private ToolsSession(ContainerRuntime containers, String id) {
      this.containers = containers;
      this.id = id;
    }

    static ToolsSession open(ContainerRuntime containers, String id) {
      ToolsSession session = new ToolsSession(containers, id);
      try {
        session.traps.add(SignalTrap.on("INT", () -> session.signalled(FailureKind.INTERRUPTED)));
        session.traps.add(SignalTrap.on("TERM", () -> session.signalled(FailureKind.TERMINATED)));
      } catch (IllegalStateException noSignals) {
        session.traps.forEach(SignalTrap::close);
        session.traps.clear();
        session.fallbackHook = new Thread(session::remove, "minify-debug-cleanup");
        Runtime.getRuntime().addShutdownHook(session.fallbackHook);
      }
      return session;
    }

    private void signalled(FailureKind kind) {
      if (!signal.compareAndSet(null, kind)) {
        Runtime.getRuntime().halt(kind.exitCode());
      }
      remove();
    }

    private void remove() {
      try {
        containers.removeContainer(id);
      } catch (EngineException e) {
        // the command's thread removes it again on its way out, and says so if that fails too
      }
    }

    /** The signal that ended the session, if one did. */
    Optional<FailureKind> signal() {
      return Optional.ofNullable(signal.get());
    }

    @Override
    public void close() {
      traps.forEach(SignalTrap::close);
      if (fallbackHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(fallbackHook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is removing it, which is the point
        }
      }
      containers.removeContainer(id);
    }
  }
}
