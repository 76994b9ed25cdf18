package io.minify.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minify.digest.Digest;
import io.minify.engine.AttachedContainerSpec;
import io.minify.engine.ContainerChange;
import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerInfo;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import io.minify.engine.ContainerStreams;
import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import io.minify.engine.ExecResult;
import io.minify.engine.ImageInfo;
import io.minify.engine.ImageStore;
import io.minify.engine.NamespaceModes;
import io.minify.image.ImageConfigJson;
import io.minify.image.TestLayer;
import io.minify.pack.DockerArchiveValidator;
import io.minify.path.UnixPath;
import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProber;
import io.minify.probe.HttpProtocol;
import io.minify.probe.ProbeResult;
import io.minify.probe.tcp.TcpProbeResult;
import io.minify.probe.tcp.TcpProber;
import io.minify.run.HostProcesses;
import io.minify.run.RunSensors;
import io.minify.run.SensorPlacement;
import io.minify.sensor.syscall.SyscallRecording;
import io.minify.sensor.syscall.SyscallTracer;
import io.minify.run.VirtualClock;
import io.minify.run.StopWaiter;
import io.minify.sensor.AccessLog;
import io.minify.sensor.AccessMonitor;
import io.minify.sensor.gate.Gate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A host in memory for pipeline tests: an engine that holds images as files, runs a tiny web
 * app in its "containers", and a kernel that sees what the app opens. The app serves
 * {@code /srv/www<path>} ({@code /} is {@code index.html}) and reads {@code /etc/app.conf} at
 * every request: without the config it answers 500. Everything the app opens is what the
 * monitor reports, except what a test hides from it ({@link #hideFromMonitor}), which is how
 * a test makes the slim image miss a file. A container whose env sets {@link #READS} reads the
 * files it names at every request too, and answers 500 without them: two runs of one image
 * with two envs use different files.
 */
final class FakeHost {

  /** The engine calls a test can make fail. */
  enum Call { INSPECT, SAVE, LOAD, TAG, REMOVE_IMAGE, CREATE, START, STOP, REMOVE_CONTAINER, CHANGES }

  static final String ORIGINAL = "fake/app:1";
  static final int APP_PORT = 8080;
  static final int PROTOCOL_PORT = 7070;
  /** The env variable that names more files the app reads at every request (comma-separated). */
  static final String READS = "APP_READS";

  /** The time of the build's waits and of the fake app: it moves only when the build waits. */
  final VirtualClock clock = new VirtualClock();
  final FakeEngine engine = new FakeEngine();
  final List<String> events = new ArrayList<>();
  /** This host's processes: the build runs as {@link FakeFacts#SELF}. */
  final FakeFacts facts = new FakeFacts();
  /** What the build told the user outside its progress lines. */
  final List<String> notices = new ArrayList<>();
  /** This host's shell, for {@code --host-exec}: its "test suites" request pages of the fake app. */
  final FakeSuites suites = new FakeSuites(this);
  private final SortedSet<UnixPath> hidden = new TreeSet<>();
  private final Map<Call, Integer> faults = new LinkedHashMap<>();
  // the build's thread and an abort's (its cleanup) call the engine at the same time, as they do the real one
  private final Map<Call, Integer> calls = Collections.synchronizedMap(new LinkedHashMap<>());
  private Runnable onFirstProbe = () -> {};
  private boolean refuseLoads;
  private boolean refuseChanges;
  private boolean showsStartTime;
  private boolean slimClosesProtocolPort;
  private Consumer<String> onSlimStart = id -> {};
  private final List<FakeGate> gates = new ArrayList<>();
  private final List<FakeMonitor> monitors = new ArrayList<>();
  private final List<HostProcesses.HostProcess> pins = new ArrayList<>();
  private boolean appExitsWhilePinned;
  private Integer originalJobExit;
  private Integer slimJobExit;
  private final List<FakeTracer> tracers = new ArrayList<>();
  private long tracerLoses;
  private String slimNeedsSyscall;

  FakeHost() throws IOException {
    this(false);
  }

  /** @param containerdStore image ids are manifest digests, as on Docker's containerd image store */
  FakeHost(boolean containerdStore) throws IOException {
    this(containerdStore, List.of(APP_PORT));
  }

  private FakeHost(boolean containerdStore, List<Integer> ports) throws IOException {
    this(containerdStore, ports, "FAKEAPP\0".getBytes(StandardCharsets.UTF_8));
  }

  private FakeHost(boolean containerdStore, List<Integer> ports, byte[] app) throws IOException {
    engine.containerdStore = containerdStore;
    engine.addSaved(ORIGINAL, originalImage(ports, app));
  }

  /**
   * The slim app, but not the original while watched, makes syscall {@code name} to answer: a
   * slim container whose seccomp profile does not allow it answers nothing.
   */
  FakeHost slimNeedsSyscall(String name) {
    slimNeedsSyscall = name;
    return this;
  }

  /** The syscall tracer reports that the kernel dropped {@code events} events. */
  FakeHost tracerLoses(long events) {
    tracerLoses = events;
    return this;
  }

  /** What a tracer saw: read, write, epoll_wait, accept4 (x86_64 numbers, which the profile test names). */
  static final SortedSet<Long> TRACED = new TreeSet<>(List.of(0L, 1L, 232L, 288L));

  private final class FakeTracer implements SyscallTracer {
    final int pid;
    boolean closed;

    FakeTracer(int pid) {
      this.pid = pid;
    }

    @Override
    public SyscallRecording stop() {
      return new SyscallRecording(TRACED, tracerLoses);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A host whose /bin/app has the bytes {@code app} (an ELF program, say). */
  static FakeHost withApp(byte[] app) throws IOException {
    return new FakeHost(false, List.of(APP_PORT), app);
  }

  /**
   * A host whose app also exposes {@link #PROTOCOL_PORT}, which speaks a line protocol: it
   * accepts connections and answers an HTTP request with {@code ERR\r\n}.
   */
  static FakeHost withProtocolPort() throws IOException {
    return new FakeHost(false, List.of(APP_PORT, PROTOCOL_PORT));
  }

  /** The slim image's {@link #PROTOCOL_PORT} accepts no connection (the original's does). */
  FakeHost slimClosesProtocolPort() {
    slimClosesProtocolPort = true;
    return this;
  }

  /** A host whose app exposes {@link #PROTOCOL_PORT} alone. */
  static FakeHost withOnlyProtocolPort() throws IOException {
    return new FakeHost(false, List.of(PROTOCOL_PORT));
  }

  /** The app's image: a binary, its config, three pages and documentation nothing reads. */
  static byte[] originalImage() throws IOException {
    return originalImage(List.of(APP_PORT), "FAKEAPP\0".getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] originalImage(List<Integer> ports, byte[] app) throws IOException {
    byte[] layer = new TestLayer()
        .dir("bin").file("bin/app", app, 0755, Map.of())
        .dir("etc").file("etc/app.conf", "greeting=hello\n").file("etc/motd", "Welcome")
        .dir("srv").dir("srv/www").file("srv/www/index.html", "<a href=\"/about.html\">about</a>")
        .file("srv/www/about.html", "about us")
        .dir("usr").dir("usr/share").dir("usr/share/doc").file("usr/share/doc/manual.txt", "x".repeat(50_000))
        .bytes();
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/app\"],"
        + "\"ExposedPorts\":{" + String.join(",", ports.stream().map(p -> "\"" + p + "/tcp\":{}").toList())
        + "}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
        + sha256(layer) + "\"]}}";
    return new TestLayer()
        .file("layer0/layer.tar", layer, 0644, Map.of())
        .file("config.json", config)
        .file("manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"" + ORIGINAL + "\"],"
            + "\"Layers\":[\"layer0/layer.tar\"]}]")
        .bytes();
  }

  /** Paths the app opens that the monitor will not report. */
  /**
   * The app's index page then ends with when its container started (each container its own,
   * as a page that shows its start time) and the message of the day from {@code /etc/motd},
   * or the error the app shows where that file is missing.
   */
  FakeHost showsStartTime() {
    showsStartTime = true;
    return this;
  }

  FakeHost hideFromMonitor(String path) {
    hidden.add(UnixPath.of(path));
    return this;
  }

  /** The {@code occurrence}-th call (1-based) of {@code call} throws, as a failing engine would. */
  FakeHost failAt(Call call, int occurrence) {
    faults.put(call, occurrence);
    return this;
  }

  /** Runs when a container of a loaded (slim) image starts, with that image's id. */
  FakeHost onSlimStart(Consumer<String> action) {
    this.onSlimStart = action;
    return this;
  }

  /** Every {@code docker load} is refused the way the engine refuses a bad archive. */
  FakeHost refuseLoads() {
    refuseLoads = true;
    return this;
  }

  /**
   * {@code docker diff} answers with an error, as an engine does when it cannot lstat a path
   * of the image longer than it handles.
   */
  FakeHost refuseChanges() {
    refuseChanges = true;
    return this;
  }

  /**
   * The app exits right after the engine gave its pid, so its number is free for any other
   * process by the time the build pins it.
   */
  FakeHost appExitsWhilePinned() {
    appExitsWhilePinned = true;
    return this;
  }

  /**
   * The app is a job: each container ends on its own a moment after it started, the original
   * with {@code originalExit}, the slim one with {@code slimExit}.
   */
  FakeHost runsAsJob(int originalExit, int slimExit) {
    this.originalJobExit = originalExit;
    this.slimJobExit = slimExit;
    return this;
  }

  /** Runs once, when the first HTTP request reaches an app (to abort a build mid-probe). */
  FakeHost onFirstProbe(Runnable action) {
    this.onFirstProbe = action;
    return this;
  }

  BuildServices services() {
    HostProcesses processes = pid -> {
      Container init = engine.containersById.values().stream().filter(c -> c.running && c.pid == pid).findFirst()
          .orElseThrow(() -> new IOException("process " + pid + " exited before it could be pinned"));
      if (appExitsWhilePinned) {
        init.running = false; // after the engine named the pid, before the pin was checked
      }
      events.add("pinned pid " + pid);
      HostProcesses.HostProcess pin = new HostProcesses.HostProcess() {
        @Override
        public Path root() {
          return Path.of("/fake-proc", String.valueOf(pid), "root");
        }

        @Override
        public boolean alive() {
          return init.running;
        }

        @Override
        public boolean catchesSignal(String stopSignal) {
          return true;
        }

        @Override
        public void close() {
          pins.remove(this);
        }
      };
      pins.add(pin);
      return pin;
    };
    RunSensors sensors = new RunSensors(parent -> {
      FakeGate gate = new FakeGate(Files.createTempDirectory(parent, "gate-"));
      gates.add(gate);
      return gate;
    }, root -> {
      FakeMonitor monitor = new FakeMonitor(Integer.parseInt(root.getParent().getFileName().toString()));
      monitors.add(monitor);
      events.add("monitor armed");
      return monitor;
    }, processes, SensorPlacement.AUTO, pid -> {
      FakeTracer tracer = new FakeTracer(pid);
      tracers.add(tracer);
      events.add("syscall tracer armed");
      return tracer;
    });
    // the protocol port answers anything it does not know, an HTTP request too, with ERR
    TcpProber tcp = (probe, hostPort, attempts, wait, timeout) -> slimClosesProtocolPort
        && probe.containerPort() == PROTOCOL_PORT && engine.isSlimPort(hostPort)
        ? new TcpProbeResult(probe, false, false, 0, Duration.ZERO, 1, "the connection was closed before any byte",
            new byte[0])
        : probe.containerPort() == PROTOCOL_PORT && probe.send().length > 0
        ? new TcpProbeResult(probe, true, false, 5, Duration.ZERO, 1, "expected \"HTTP/\", got \"ERR\\r\\n\"",
            "ERR\r\n".getBytes(StandardCharsets.UTF_8))
        : new TcpProbeResult(probe, true, true, 0, Duration.ZERO, 1, null, new byte[0]);
    return new BuildServices(engine, FakeProber::new, tcp, sensors,
        new StopWaiter(new PrintWriter(new StringWriter()), clock), clock, facts, notices::add, suites);
  }

  /** Gates that were created and not closed, and monitors not closed: what a build leaked. */
  List<String> leakedSensors() {
    List<String> leaked = new ArrayList<>();
    gates.stream().filter(g -> !g.closed).forEach(g -> leaked.add("gate " + g.dir));
    monitors.stream().filter(m -> !m.closed).forEach(m -> leaked.add("monitor of pid " + m.pid));
    pins.forEach(p -> leaked.add("pin of " + p.root().getParent()));
    tracers.stream().filter(t -> !t.closed).forEach(t -> leaked.add("syscall tracer of pid " + t.pid));
    return leaked;
  }

  private void call(Call call) {
    int n = calls.merge(call, 1, Integer::sum);
    if (faults.getOrDefault(call, -1) == n) {
      throw new EngineException("injected fault: " + call + " #" + n);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An image the fake engine holds: its info, its files, and (for the original) its save stream. */
  private record Image(ImageInfo info, Map<UnixPath, byte[]> files, byte[] saved) {}

  private static final class Container {
    final String id;
    final ContainerSpec spec;
    final int pid;
    final Map<Integer, Integer> ports = new TreeMap<>();
    final SortedSet<UnixPath> opened = new TreeSet<>();
    boolean running;
    int exitCode = 143; // what stopping it gives
    long finishesAt = Long.MAX_VALUE; // the host's clock when a job ends on its own

    Container(String id, ContainerSpec spec, int pid) {
      this.id = id;
      this.spec = spec;
      this.pid = pid;
    }
  }

  final class FakeEngine implements ContainerEngine {
    private boolean containerdStore;
    private final Map<String, Image> imagesById = new LinkedHashMap<>();
    private final Map<String, String> tags = new TreeMap<>();
    private final Map<String, Container> containersById = new LinkedHashMap<>();
    private final FakeImages images = new FakeImages();
    private final FakeContainers containers = new FakeContainers();
    /** What every container was created with, removed ones too. */
    final List<ContainerSpec> createdSpecs = new ArrayList<>();
    private int created;

    void addSaved(String tag, byte[] saved) throws IOException {
      Image image = readArchive(saved, true);
      imagesById.put(image.info().id().toString(), image);
      tags.put(tag, image.info().id().toString());
    }

    /** Image ids the engine holds, and its tags. */
    Map<String, String> tags() {
      return new TreeMap<>(tags);
    }

    List<String> imageIds() {
      return List.copyOf(imagesById.keySet());
    }

    List<String> containerIds() {
      return List.copyOf(containersById.keySet());
    }

    /** The files of the image a tag names (the slim image, after a build). */
    Map<UnixPath, byte[]> filesOf(String tag) {
      return imagesById.get(tags.get(tag)).files();
    }

    private static byte[] archiveMember(byte[] archive, String name) throws IOException {
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          if (e.isFile() && e.getName().equals(name)) {
            return tar.readAllBytes();
          }
        }
      }
      throw new IOException("no " + name + " in the archive");
    }

    private Image readArchive(byte[] archive, boolean keepSaved) throws IOException {
      Map<String, byte[]> members = new LinkedHashMap<>();
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          if (e.isFile()) {
            members.put(e.getName(), tar.readAllBytes());
          }
        }
      }
      ObjectMapper json = new ObjectMapper();
      JsonNode manifest = json.readTree(members.get("manifest.json")).get(0);
      byte[] config = members.get(manifest.get("Config").asText());
      Map<UnixPath, byte[]> files = new TreeMap<>();
      long size = 0;
      for (JsonNode layer : manifest.get("Layers")) {
        byte[] bytes = members.get(layer.asText());
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
          for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            String name = e.getName().replaceAll("/$", "");
            files.put(UnixPath.of("/" + name), e.isFile() ? tar.readAllBytes() : new byte[0]);
            size += e.getSize();
          }
        }
      }
      // the classic store names an image by its config digest, the containerd store by its manifest's
      String id = containerdStore ? "sha256:" + sha256(("manifest of " + sha256(config)).getBytes(StandardCharsets.UTF_8))
          : "sha256:" + sha256(config);
      ImageInfo info = new ImageInfo(Digest.parse(id), List.of(), size, manifest.get("Layers").size(),
          ImageConfigJson.parse(json.readTree(config).get("config")));
      return new Image(info, files, keepSaved ? archive : null);
    }

    @Override
    public String version() {
      return "fake-engine 1";
    }

    @Override
    public ImageStore images() {
      return images;
    }

    @Override
    public ContainerRuntime containers() {
      return containers;
    }

    @Override
    public void close() {}

    /** The images: held as files, the original with its save stream. */
    final class FakeImages implements ImageStore {
      @Override
      public Optional<ImageInfo> inspectImage(String reference) {
        call(Call.INSPECT);
        String id = tags.getOrDefault(reference, reference);
        Image image = imagesById.get(id);
        if (image == null) {
          return Optional.empty();
        }
        List<String> repoTags = tags.entrySet().stream().filter(t -> t.getValue().equals(id)).map(Map.Entry::getKey)
            .toList();
        ImageInfo i = image.info();
        return Optional.of(new ImageInfo(i.id(), repoTags, i.sizeBytes(), i.layers(), i.config()));
      }

      @Override
      public InputStream saveImage(String reference) {
        call(Call.SAVE);
        return new ByteArrayInputStream(imagesById.get(tags.getOrDefault(reference, reference)).saved());
      }

      @Override
      public void loadImage(Path archive) throws IOException {
        call(Call.LOAD);
        // every archive a build loads is checked as the engine would, before the fake reads it
        new DockerArchiveValidator().requireValid(archive);
        Image image = readArchive(Files.readAllBytes(archive), false);
        if (refuseLoads) {
          throw new EngineRefusedException("load refused",
              "Error processing tar file(exit status 1): invalid argument");
        }
        imagesById.putIfAbsent(image.info().id().toString(), image);
        // like the engine: the archive's RepoTags point at the loaded image
        List<String> repoTags = new ArrayList<>();
        new ObjectMapper().readTree(archiveMember(Files.readAllBytes(archive), "manifest.json")).get(0).path("RepoTags")
            .forEach(t -> repoTags.add(t.asText()));
        repoTags.forEach(t -> tags.put(t, image.info().id().toString()));
        events.add("loaded " + image.info().id().toString().substring(0, 19) + (repoTags.isEmpty() ? "" : " as " + repoTags));
      }

      @Override
      public void tagImage(String imageId, String repository, String tag) {
        call(Call.TAG);
        // like the engine: the source is a reference (a tag or an id), the new tag names its image
        tags.put(repository + ":" + tag, tags.getOrDefault(imageId, imageId));
        events.add("tagged " + repository + ":" + tag);
      }

      /** Like the engine without force: a tag is untagged, and an image goes with its last tag. */
      @Override
      public void removeImage(String reference) {
        call(Call.REMOVE_IMAGE);
        boolean byTag = tags.containsKey(reference);
        String id = tags.getOrDefault(reference, reference);
        if (!imagesById.containsKey(id)) {
          return;
        }
        List<String> imageTags = tags.entrySet().stream().filter(t -> t.getValue().equals(id)).map(Map.Entry::getKey)
            .toList();
        if (byTag && imageTags.size() > 1) {
          tags.remove(reference);
          events.add("untagged " + reference);
          return;
        }
        if (!byTag && imageTags.size() > 1) {
          throw new EngineException("conflict: unable to delete " + id + " (must be forced) - image is referenced in"
              + " multiple repositories");
        }
        if (containersById.values().stream()
            .anyMatch(c -> id.equals(tags.getOrDefault(c.spec.image(), c.spec.image())))) {
          throw new EngineException("conflict: unable to remove repository reference (must force) - container is"
              + " using its referenced image");
        }
        imagesById.remove(id);
        tags.values().removeIf(id::equals);
        events.add("removed image " + id.substring(0, 19));
      }
    }

    /** The containers: a tiny web app each, and what it opened. */
    final class FakeContainers implements ContainerRuntime {
      @Override
      public String createContainer(ContainerSpec spec) {
        call(Call.CREATE);
        created++;
        String id = String.format("%064x", created);
        containersById.put(id, new Container(id, spec, 4000 + created));
        createdSpecs.add(spec);
        events.add("created " + (imagesById.get(tags.getOrDefault(spec.image(), spec.image())).saved() != null
            ? "original" : "slim") + " container");
        return id;
      }

      @Override
      public void startContainer(String containerId) {
        call(Call.START);
        Container c = containersById.get(containerId);
        String image = tags.getOrDefault(c.spec.image(), c.spec.image());
        if (imagesById.get(image).saved() == null) {
          onSlimStart.accept(image);
        }
        c.running = true;
        Integer jobExit = imagesById.get(image).saved() == null ? slimJobExit : originalJobExit;
        if (jobExit != null) {
          c.exitCode = jobExit;
          c.finishesAt = clock.nanoTime() + Duration.ofMillis(400).toNanos();
        }
        int i = 0;
        for (int port : c.spec.publishedPorts()) {
          c.ports.put(port, 30000 + 10 * created + i++);
        }
        c.opened.add(UnixPath.of("/bin/app"));
      }

      @Override
      public ContainerState containerState(String containerId) {
        Container c = containersById.get(containerId);
        if (c == null) {
          throw new EngineException("No such container: " + containerId);
        }
        if (c.running && clock.nanoTime() > c.finishesAt) {
          c.running = false;
        }
        return new ContainerState(c.running, c.running ? c.pid : 0, c.running ? 0 : c.exitCode, null);
      }

      @Override
      public Optional<ContainerInfo> inspectContainer(String nameOrId) {
        Container c = containersById.get(nameOrId);
        if (c == null) {
          return Optional.empty();
        }
        String image = tags.getOrDefault(c.spec.image(), c.spec.image());
        return Optional.of(new ContainerInfo(c.id, "fake-" + c.pid, c.spec.image(), image, containerState(c.id).running(),
            NamespaceModes.own()));
      }

      /** An attached container is one more container: its command, its labels (the reaper finds it by them). */
      @Override
      public String createAttached(AttachedContainerSpec spec) {
        String id = createContainer(new ContainerSpec(spec.image(), spec.command(), Map.of(), List.of(),
            spec.labels()));
        events.set(events.size() - 1, "created attached container");
        return id;
      }

      /** Its command ends at once, having written nothing. */
      @Override
      public int runAttached(String containerId, ContainerStreams streams, Runnable started) {
        startContainer(containerId);
        started.run();
        containersById.get(containerId).running = false;
        return 0;
      }

      @Override
      public void resizeTerminal(String containerId, AttachedContainerSpec.TerminalSize size) {}

      @Override
      public Map<Integer, Integer> publishedPorts(String containerId) {
        return Map.copyOf(containersById.get(containerId).ports);
      }

      @Override
      public List<String> logTail(String containerId, int lines) {
        return List.of("fake app log");
      }

      @Override
      public List<ContainerChange> changes(String containerId) {
        call(Call.CHANGES);
        if (refuseChanges) {
          throw new EngineRefusedException("listing the changes of container " + containerId + " failed",
              "lstat /var/lib/docker/overlay2/0123/merged/deep/x: file name too long");
        }
        return List.of();
      }

      @Override
      public SortedSet<Integer> processUids(String containerId) {
        return new TreeSet<>(List.of(0));
      }

      @Override
      public void stopContainer(String containerId, Duration grace) {
        call(Call.STOP);
        containersById.get(containerId).running = false;
      }

      @Override
      public void removeContainer(String containerId) {
        call(Call.REMOVE_CONTAINER);
        if (containersById.remove(containerId) != null) {
          events.add("removed container");
        }
      }

      @Override
      public List<String> containersWithLabel(String filter) {
        String[] kv = filter.split("=", 2);
        return containersById.values().stream().filter(c -> kv[1].equals(c.spec.labels().get(kv[0]))).map(c -> c.id)
            .toList();
      }

      @Override
      public Map<String, Map<String, String>> labelledContainers(String key) {
        Map<String, Map<String, String>> found = new LinkedHashMap<>();
        containersById.values().stream().filter(c -> c.spec.labels().containsKey(key))
            .forEach(c -> found.put(c.id, c.spec.labels()));
        return found;
      }

      @Override
      public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        return new ExecResult(0, new byte[0], Duration.ZERO, false);
      }
    }

    /** Whether a slim image's container publishes {@code hostPort}. */
    boolean isSlimPort(int hostPort) {
      return containersById.values().stream().anyMatch(c -> c.ports.containsValue(hostPort)
          && imagesById.get(tags.getOrDefault(c.spec.image(), c.spec.image())).saved() == null);
    }

    /** The app behind a published host port: status and body, or empty when nothing listens. */
    Optional<Answer> serve(HttpProbe probe, int hostPort) {
      Container c = containersById.values().stream().filter(x -> x.running && x.ports.containsValue(hostPort))
          .findFirst().orElse(null);
      if (c == null || hostPort == c.ports.getOrDefault(PROTOCOL_PORT, -1)) {
        return Optional.empty(); // nothing listens, or not HTTP
      }
      if (slimNeedsSyscall != null && c.spec.securityOptions().stream()
          .anyMatch(o -> o.startsWith("seccomp=") && !o.contains("\"" + slimNeedsSyscall + "\""))) {
        return Optional.empty(); // its accept failed with EPERM
      }
      Map<UnixPath, byte[]> files = imagesById.get(tags.getOrDefault(c.spec.image(), c.spec.image())).files();
      UnixPath conf = UnixPath.of("/etc/app.conf");
      open(c, conf);
      if (!files.containsKey(conf)) {
        return Optional.of(new Answer(500, "no /etc/app.conf".getBytes(StandardCharsets.UTF_8)));
      }
      // APP_READS=/a,/b in the container's env: the app reads those too, and fails without them
      for (String variable : c.spec.env()) {
        if (variable.startsWith(READS + "=")) {
          for (String read : variable.substring(READS.length() + 1).split(",")) {
            UnixPath path = UnixPath.of(read);
            open(c, path);
            if (!files.containsKey(path)) {
              return Optional.of(new Answer(500, ("no " + read).getBytes(StandardCharsets.UTF_8)));
            }
          }
        }
      }
      UnixPath page = UnixPath.of("/srv/www" + (probe.path().equals("/") ? "/index.html" : probe.path()));
      open(c, page);
      byte[] body = files.get(page);
      if (body != null && showsStartTime && probe.path().equals("/")) {
        UnixPath motd = UnixPath.of("/etc/motd");
        open(c, motd);
        byte[] message = files.get(motd);
        body = (new String(body, StandardCharsets.UTF_8) + "<p>started 02:" + (c.pid % 60) + "</p><p>motd: "
            + (message == null ? "open /etc/motd: no such file" : new String(message, StandardCharsets.UTF_8))
            + "</p>").getBytes(StandardCharsets.UTF_8);
      }
      return Optional.of(body == null ? new Answer(404, new byte[0]) : new Answer(200, body));
    }

    private void open(Container c, UnixPath path) {
      if (!hidden.contains(path)) {
        c.opened.add(path);
      }
    }

    SortedSet<UnixPath> openedBy(int pid) {
      return containersById.values().stream().filter(c -> c.pid == pid).findFirst().map(c -> c.opened)
          .orElseGet(TreeSet::new);
    }
  }

  record Answer(int status, byte[] body) {}

  /** The fake app's requests, one at a time: the build sends them from several threads at once. */
  private final class FakeProber implements HttpProber {
    @Override
    public ProbeResult execute(HttpProbe probe, int hostPort, RetryPolicy retry) {
      return fetch(probe, hostPort, retry, Integer.MAX_VALUE).result();
    }

    @Override
    public HttpFetch fetch(HttpProbe probe, int hostPort, RetryPolicy retry, int maxBodyBytes) {
      synchronized (FakeHost.this) {
        return serve(probe, hostPort);
      }
    }

    private HttpFetch serve(HttpProbe probe, int hostPort) {
      Runnable first = onFirstProbe;
      onFirstProbe = () -> {};
      first.run();
      Optional<Answer> answer = engine.serve(probe, hostPort);
      if (answer.isEmpty()) {
        return new HttpFetch(new ProbeResult(probe, null, 0, 0, null, Duration.ofMillis(1), 1,
            "connection refused"), "", "", new byte[0]);
      }
      byte[] body = answer.get().body();
      return new HttpFetch(new ProbeResult(probe, HttpProtocol.HTTP, answer.get().status(), body.length, sha256(body),
          Duration.ofMillis(1), 1, null), "text/plain", "", body);
    }

    @Override
    public void close() {}
  }

  private static final class FakeGate implements Gate {
    final Path dir;
    boolean closed;

    FakeGate(Path dir) {
      this.dir = dir;
    }

    @Override
    public Path hostDirectory() {
      return dir;
    }

    @Override
    public List<String> wrap(List<String> command) {
      return command;
    }

    @Override
    public boolean reachedThrough(Path containerRoot) {
      return true; // the fake engine's containers are this host's
    }

    @Override
    public void release(Duration timeout) {}

    @Override
    public void close() {
      closed = true;
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final class FakeMonitor implements AccessMonitor {
    final int pid;
    boolean closed;

    FakeMonitor(int pid) {
      this.pid = pid;
    }

    @Override
    public AccessLog stop() {
      SortedSet<UnixPath> files = new TreeSet<>(engine.openedBy(pid));
      return new AccessLog(files, new TreeSet<>(), new TreeSet<>(List.of(UnixPath.of("/bin/app"))), new TreeSet<>(),
          new TreeSet<>(), files.size());
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
