package io.minify.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LoadResponseItem;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.minify.digest.Digest;
import io.minify.engine.ContainerChange;
import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import io.minify.engine.EngineAddress;
import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import io.minify.engine.ImageContentRefusedException;
import io.minify.engine.ExecResult;
import io.minify.engine.ImageInfo;
import io.minify.image.ImageConfigJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * {@link ContainerEngine} over docker-java and its Apache httpclient5 transport.
 *
 * <p>API version: the client first asks the engine unversioned ({@code GET /version}) and
 * then pins every request to the API version the engine reports. A fixed version breaks
 * either old engines (20.10 speaks at most 1.41) or new ones (29 refuses anything below
 * 1.44); negotiating works for both.
 */
public final class DockerJavaEngine implements ContainerEngine {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long an undo waits for an engine that stopped answering (restarting) to answer again. */
  private static final Duration ENGINE_RETURN = Duration.ofSeconds(45);
  private static final Duration ENGINE_RETURN_POLL = Duration.ofSeconds(1);

  private final DockerHttpClient http;
  private final DockerClient docker;
  private final String apiVersion;
  private final String description;
  private final EngineAddress address;
  /** Podman's compat API: its {@code top} takes its own column names, not ps(1) options. */
  private final boolean podman;

  private DockerJavaEngine(DockerHttpClient http, DockerClient docker, String apiVersion, String description,
      EngineAddress address, boolean podman) {
    this.address = address;
    this.podman = podman;
    this.http = http;
    this.docker = docker;
    this.apiVersion = apiVersion;
    this.description = description;
  }

  /**
   * Connects to the engine named by DOCKER_HOST, or the local socket.
   *
   * @throws EngineException when no engine answers, with a message that says what to do
   */
  public static DockerJavaEngine connect() {
    String host = Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank())
        .orElse("unix:///var/run/docker.sock");
    DockerClientConfig probeConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host).build();
    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(probeConfig.getDockerHost())
        .sslConfig(probeConfig.getSSLConfig())
        .maxConnections(32)
        .connectionTimeout(Duration.ofSeconds(10))
        // image save/load and container stop can legitimately take minutes
        .responseTimeout(Duration.ofMinutes(30))
        .build();
    try {
      JsonNode version = getJson(http, "/version");
      String api = version.path("ApiVersion").asText("");
      String engine = version.path("Version").asText("unknown");
      if (api.isEmpty()) {
        throw new EngineException("the engine at " + host + " did not report an API version");
      }
      DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
          .withDockerHost(host).withApiVersion(api).build();
      boolean podman = false;
      for (JsonNode component : version.path("Components")) {
        podman |= "Podman Engine".equals(component.path("Name").asText());
      }
      String described = (podman ? "Podman " : "Docker ") + engine + " (API " + api + ", "
          + imageStore(getJson(http, "/v" + api + "/info")) + ", at " + host + ")";
      return new DockerJavaEngine(http, DockerClientImpl.getInstance(config, http), api, described,
          EngineAddress.of(host), podman);
    } catch (RuntimeException e) {
      closeQuietly(http);
      if (e instanceof EngineException ee) {
        throw ee;
      }
      throw new EngineException("no Docker engine answers at " + host + ": " + rootMessage(e)
          + " (start one with 'systemctl start docker' or 'dockerd &', or set DOCKER_HOST to one that runs)", e);
    }
  }

  /**
   * The engine's image store, as {@code docker info} tells it: the containerd store reports the
   * snapshotter as its driver type; the classic store its graph driver.
   */
  static String imageStore(JsonNode info) {
    for (JsonNode pair : info.path("DriverStatus")) {
      if (pair.size() == 2 && pair.get(1).asText().startsWith("io.containerd.snapshotter")) {
        return "containerd image store";
      }
    }
    return "classic image store (" + info.path("Driver").asText("unknown driver") + ")";
  }

  @Override
  public String version() {
    return description;
  }

  @Override
  public boolean answers(Duration within) {
    // the shared client waits minutes for an answer (saves, loads); a ping gets a thread and a deadline
    CompletableFuture<Void> ping = CompletableFuture.runAsync(() -> docker.pingCmd().exec());
    try {
      ping.get(within.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true; // no verdict: the caller's own interrupt handling decides
    } catch (ExecutionException | TimeoutException e) {
      ping.cancel(true);
      return false;
    }
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    String path = "/v" + apiVersion + "/images/" + encodePath(reference) + "/json";
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET).path(path).build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      if (response.getStatusCode() == 404) {
        return Optional.empty();
      }
      JsonNode node = JSON.readTree(response.getBody());
      if (response.getStatusCode() != 200) {
        throw new EngineException("inspecting image " + reference + " failed: " + node.path("message").asText());
      }
      List<String> tags = new ArrayList<>();
      node.path("RepoTags").forEach(t -> tags.add(t.asText()));
      Digest id;
      try {
        id = Digest.parse(node.path("Id").asText());
      } catch (IllegalArgumentException e) {
        throw new EngineException("inspecting image " + reference + " failed: its Id " + e.getMessage());
      }
      return Optional.of(new ImageInfo(
          id,
          tags,
          node.path("Size").asLong(),
          node.path("RootFS").path("Layers").size(),
          ImageConfigJson.parse(node.get("Config"))));
    } catch (IOException e) {
      throw new EngineException("inspecting image " + reference + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream saveImage(String reference) {
    // an error before the archive starts is a status (thrown here); one half-way can only
    // show as a stream that stops early, which the check turns into an IOException
    InputStream archive;
    try {
      archive = call("saving image " + reference, () -> docker.saveImageCmd(reference).exec());
    } catch (EngineException e) {
      Optional<String> entry = e.getCause() instanceof DockerException refused
          ? SaveRefusal.entryOutsideTheImage(firstLine(refused.getMessage()), layerDirectories(reference))
          : Optional.empty();
      if (entry.isPresent()) {
        throw new ImageContentRefusedException("layer entry '" + entry.get() + "' names a path outside the image;"
            + " the engine loaded the image but cannot save it (" + firstLine(e.getCause().getMessage()) + ")", e);
      }
      throw e;
    }
    return new SaveStreamCheck(archive, reference);
  }

  /** overlay2's layer directories of the image ({@code UpperDir}, then each {@code LowerDir}); none for other drivers. */
  private List<Path> layerDirectories(String reference) {
    JsonNode data;
    try {
      data = getJson(http, "/v" + apiVersion + "/images/" + encodePath(reference) + "/json")
          .path("GraphDriver").path("Data");
    } catch (RuntimeException e) {
      return List.of(); // only used to explain a failure that is reported anyway
    }
    List<Path> dirs = new ArrayList<>();
    if (data.hasNonNull("UpperDir")) {
      dirs.add(Path.of(data.get("UpperDir").asText()));
    }
    if (data.hasNonNull("LowerDir")) {
      for (String lower : data.get("LowerDir").asText().split(":")) {
        dirs.add(Path.of(lower));
      }
    }
    return dirs;
  }

  /**
   * {@code POST /images/load}. The engine answers 200 at once and reports how the load went
   * in the JSON message stream that follows (e.g. {@code {"error": "Error processing tar
   * file(exit status 1): unexpected EOF"}}), so the stream is read to its end and checked;
   * docker-java's synchronous load command never reads it.
   */
  @Override
  public void loadImage(Path archive) throws IOException {
    LoadMessages messages = new LoadMessages();
    try (InputStream in = Files.newInputStream(archive)) {
      docker.loadImageAsyncCmd(in).exec(messages).awaitCompletion();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while the engine loaded the slim image", e);
    } catch (DockerException e) {
      // a status other than 200: the engine refused before it read the archive
      String said = firstLine(e.getMessage());
      throw new EngineRefusedException("docker load refused the archive: " + said, said);
    } catch (RuntimeException e) {
      throw new EngineException("docker load failed: " + rootMessage(e), e);
    }
    messages.error().ifPresent(said -> {
      throw new EngineRefusedException("docker load refused the archive: " + said, said);
    });
  }

  /** The load's message stream: progress, "Loaded image ID: ...", or the engine's error. */
  private static final class LoadMessages extends ResultCallback.Adapter<LoadResponseItem> {
    private final List<String> errors = new ArrayList<>();

    @Override
    @SuppressWarnings("deprecation") // an engine that sends no errorDetail sends only the old "error" string
    public void onNext(LoadResponseItem item) {
      if (item.isErrorIndicated()) {
        String said = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
            ? item.getErrorDetail().getMessage() : item.getError();
        synchronized (errors) {
          errors.add(oneLine(said == null ? "an error without a message" : said));
        }
      }
    }

    Optional<String> error() {
      synchronized (errors) {
        return errors.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", errors));
      }
    }
  }

  @Override
  public void tagImage(String imageId, String repository, String tag) {
    call("tagging " + imageId, () -> {
      docker.tagImageCmd(imageId, repository, tag).withForce().exec();
      return null;
    });
  }

  @Override
  public void removeImage(String reference) {
    whileTheEngineIsBack("removing image " + reference, () -> {
      try {
        docker.removeImageCmd(reference).withForce(false).withNoPrune(false).exec();
      } catch (NotFoundException e) {
        // already gone: removal is idempotent
      } catch (DockerException e) {
        throw new EngineException("removing image " + reference + " failed: " + firstLine(e.getMessage()), e);
      }
    });
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    List<Mount> mounts = new ArrayList<>();
    // the gate as a bind MOUNT, not a legacy bind: an engine whose host has no such directory
    // (one reached through a mounted socket, a remote one) refuses it at create instead of
    // making an empty directory there, which is how a build learns it must place its sensor
    // inside the engine
    spec.readOnlyBinds().entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(bind -> mounts.add(
        new Mount().withType(MountType.BIND).withSource(bind.getKey().toString()).withTarget(bind.getValue())
            .withReadOnly(true)));
    for (ContainerSpec.Mount m : spec.mounts()) {
      Mount mount = new Mount().withType(m.volume() ? MountType.VOLUME : MountType.BIND)
          .withTarget(m.target()).withReadOnly(m.readOnly());
      if (m.source() != null) {
        mount.withSource(m.source());
      }
      mounts.add(mount);
    }
    Ports ports = new Ports();
    List<ExposedPort> exposed = new ArrayList<>();
    for (int port : spec.publishedPorts()) {
      if (!spec.fixedHostPorts().containsKey(port)) {
        ExposedPort ep = ExposedPort.tcp(port);
        exposed.add(ep);
        // loopback unless the engine is reached over the network: never more than minify must reach
        ports.bind(ep, Ports.Binding.bindIp(spec.publishAddress()));
      }
    }
    spec.fixedHostPorts().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(fixed -> {
      ExposedPort ep = ExposedPort.tcp(fixed.getKey());
      exposed.add(ep);
      ports.bind(ep, Ports.Binding.bindIpAndPort(spec.publishAddress(), fixed.getValue()));
    });
    HostConfig hostConfig = HostConfig.newHostConfig().withPortBindings(ports);
    if (!mounts.isEmpty()) {
      hostConfig.withMounts(mounts);
    }
    if (spec.hostPid()) {
      hostConfig.withPidMode("host");
    }
    if (!spec.capAdd().isEmpty()) {
      hostConfig.withCapAdd(spec.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new));
    }
    if (spec.network() != null) {
      hostConfig.withNetworkMode(spec.network());
    }
    return call("creating a container from " + spec.image(), () -> {
      CreateContainerCmd cmd = docker.createContainerCmd(spec.image())
          .withHostConfig(hostConfig)
          .withLabels(spec.labels());
      if (!exposed.isEmpty()) {
        cmd.withExposedPorts(exposed);
      }
      if (!spec.entrypoint().isEmpty()) {
        cmd.withEntrypoint(spec.entrypoint());
      }
      if (!spec.env().isEmpty()) {
        cmd.withEnv(spec.env());
      }
      if (spec.user() != null) {
        cmd.withUser(spec.user());
      }
      if (spec.workingDir() != null) {
        cmd.withWorkingDir(spec.workingDir());
      }
      return cmd.exec().getId();
    });
  }

  @Override
  public void startContainer(String containerId) {
    call("starting container " + shortId(containerId), () -> {
      docker.startContainerCmd(containerId).exec();
      return null;
    });
  }

  @Override
  public ContainerState containerState(String containerId) {
    InspectContainerResponse.ContainerState state =
        call("inspecting container " + shortId(containerId), () -> docker.inspectContainerCmd(containerId).exec().getState());
    boolean running = Boolean.TRUE.equals(state.getRunning());
    Long pid = state.getPidLong();
    Long exit = state.getExitCodeLong();
    return new ContainerState(running, running && pid != null ? pid.intValue() : 0,
        exit == null ? 0 : exit.intValue(), state.getError() == null ? "" : state.getError());
  }

  @Override
  public EngineAddress address() {
    return address;
  }

  @Override
  public boolean containerHasPath(String containerId, String path) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
        .path("/v" + apiVersion + "/containers/" + containerId + "/archive?path="
            + URLEncoder.encode(path, StandardCharsets.UTF_8)).build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      return response.getStatusCode() == 200;
    } catch (RuntimeException e) {
      throw new EngineException("looking for " + path + " in container " + shortId(containerId) + " failed: "
          + oneLine(rootMessage(e)), e);
    }
  }

  @Override
  public void copyToContainer(String containerId, byte[] tar, String directory) {
    call("copying into container " + shortId(containerId), () -> {
      docker.copyArchiveToContainerCmd(containerId).withTarInputStream(new java.io.ByteArrayInputStream(tar))
          .withRemotePath(directory).withNoOverwriteDirNonDir(true).exec();
      return null;
    });
  }

  @Override
  public AutoCloseable followOutput(String containerId, java.util.function.Consumer<byte[]> stdout, Runnable ended) {
    // attach, not logs: it does not depend on the engine's log driver, and its frames are the
    // container's bytes as written
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        if (frame.getStreamType() == com.github.dockerjava.api.model.StreamType.STDOUT
            || frame.getStreamType() == com.github.dockerjava.api.model.StreamType.RAW) {
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
      callback.awaitStarted(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while attaching to container " + shortId(containerId), e);
    }
    return callback;
  }

  @Override
  public void signal(String containerId, String signal) {
    try {
      docker.killContainerCmd(containerId).withSignal(signal).exec();
    } catch (NotFoundException | com.github.dockerjava.api.exception.ConflictException e) {
      // gone or not running: nothing to signal
    } catch (DockerException e) {
      throw new EngineException("signalling container " + shortId(containerId) + " failed: " + firstLine(e.getMessage()),
          e);
    }
  }

  @Override
  public Map<Integer, Integer> publishedPorts(String containerId) {
    Ports ports = call("inspecting container " + shortId(containerId),
        () -> docker.inspectContainerCmd(containerId).exec().getNetworkSettings().getPorts());
    Map<Integer, Integer> out = new LinkedHashMap<>();
    if (ports != null) {
      ports.getBindings().forEach((exposed, bindings) -> {
        if (bindings == null) {
          return;
        }
        for (Ports.Binding b : bindings) {
          // IPv4: where a build publishes (loopback, or every address of a remote engine's host)
          String ip = b.getHostIp();
          if (b.getHostPortSpec() != null && (ip == null || ip.isEmpty() || ip.indexOf(':') < 0)) {
            out.put(exposed.getPort(), Integer.parseInt(b.getHostPortSpec()));
            break;
          }
        }
      });
    }
    return out;
  }

  @Override
  public List<String> logTail(String containerId, int lines) {
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

  @Override
  public void stopContainer(String containerId, Duration grace) {
    try {
      docker.stopContainerCmd(containerId).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
    } catch (NotModifiedException | NotFoundException e) {
      // already stopped or gone
    } catch (DockerException e) {
      throw new EngineException("stopping container " + shortId(containerId) + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void removeContainer(String containerId) {
    whileTheEngineIsBack("removing container " + shortId(containerId), () -> {
      try {
        docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
      } catch (NotFoundException e) {
        // already gone
      } catch (DockerException e) {
        // a removal already in progress is as good as done
        if (!String.valueOf(e.getMessage()).contains("already in progress")) {
          throw new EngineException("removing container " + shortId(containerId) + " failed: "
              + firstLine(e.getMessage()), e);
        }
      }
    });
  }

  /**
   * Runs an undo (a removal), again and again while the engine does not answer at all: an
   * engine that restarts mid-build is back within seconds, and its containers are still there
   * (stopped), so a build that gave up at once would leave them behind. An answer, even a
   * refusal, ends the wait.
   */
  private static void whileTheEngineIsBack(String what, Runnable removal) {
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

  @Override
  public SortedSet<Integer> processUids(String containerId) {
    return call("listing the processes of container " + containerId, () -> {
      if (podman) {
        return podmanProcessUids(containerId);
      }
      SortedSet<Integer> uids = new TreeSet<>();
      var top = docker.topContainerCmd(containerId).withPsArgs("-o pid,uid").exec();
      int column = top.getTitles() == null ? -1 : Arrays.asList(top.getTitles()).indexOf("UID");
      if (column >= 0 && top.getProcesses() != null) {
        for (String[] process : top.getProcesses()) {
          try {
            uids.add(Integer.parseInt(process[column].trim()));
          } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // a row ps could not fill in: no uid to learn from it
          }
        }
      }
      return uids;
    });
  }

  /**
   * Podman's {@code top} knows its own column names only; anything else makes it run ps(1) inside
   * the container, which most images lack (it then answers 200 with an empty body). Its
   * {@code huser} is the host's user name, or the uid when the host has no such user: then the
   * uid is read from the process's status where this machine sees it.
   */
  private SortedSet<Integer> podmanProcessUids(String containerId) {
    var top = docker.topContainerCmd(containerId).withPsArgs("hpid,huser").exec();
    SortedSet<Integer> uids = new TreeSet<>();
    if (top.getProcesses() == null) {
      return uids;
    }
    for (String[] process : top.getProcesses()) {
      if (process.length < 2) {
        continue;
      }
      try {
        uids.add(Integer.parseInt(process[1].trim()));
      } catch (NumberFormatException named) {
        try {
          for (String line : Files.readAllLines(Path.of("/proc", process[0].trim(), "status"))) {
            if (line.startsWith("Uid:")) {
              uids.add(Integer.parseInt(line.substring(4).trim().split("\\s+")[1]));
            }
          }
        } catch (IOException | RuntimeException gone) {
          // exited, or not a process of this machine: no uid to learn from it
        }
      }
    }
    return uids;
  }

  @Override
  public List<ContainerChange> changes(String containerId) {
    // the engine answers "null", not [], for a container that changed nothing
    String what = "listing the changes of container " + containerId;
    return call(what, () -> Optional.ofNullable(refusedInItsOwnWords(what,
        () -> docker.containerDiffCmd(containerId).exec())).orElse(List.of())
        .stream().map(c -> new ContainerChange(c.getPath(), switch (c.getKind()) {
          case 1 -> ContainerChange.Kind.ADDED;
          case 2 -> ContainerChange.Kind.DELETED;
          default -> ContainerChange.Kind.CHANGED;
        })).toList());
  }

  @Override
  public List<String> containersWithLabel(String filter) {
    return call("listing containers", () -> docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(List.of(filter)).exec().stream().map(c -> c.getId()).toList());
  }

  @Override
  public Map<String, Map<String, String>> labelledContainers(String key) {
    return call("listing containers", () -> {
      Map<String, Map<String, String>> found = new LinkedHashMap<>();
      docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(key)).exec().forEach(c -> found.put(
          c.getId(), c.getLabels() == null ? Map.of() : Map.copyOf(c.getLabels())));
      return found;
    });
  }

  @Override
  public void close() {
    closeQuietly(docker);
    closeQuietly(http);
  }

  private interface EngineCall<T> {
    T run();
  }

  /**
   * An error status is the engine's answer, not its absence: {@code docker diff} of a
   * container whose image holds a path longer than the engine can lstat fails so, on an
   * engine that works.
   */
  private static <T> T refusedInItsOwnWords(String what, EngineCall<T> action) {
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

  private static <T> T call(String what, EngineCall<T> action) {
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

  private static JsonNode getJson(DockerHttpClient http, String path) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET).path(path).build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      return JSON.readTree(response.getBody());
    } catch (IOException e) {
      throw new EngineException("reading " + path + " from the engine failed: " + e.getMessage(), e);
    }
  }

  private static String encodePath(String reference) {
    // image references contain '/' and ':' which the engine expects verbatim
    return URLEncoder.encode(reference, StandardCharsets.UTF_8).replace("%2F", "/").replace("%3A", ":");
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    String m = message.strip();
    // docker-java prefixes "Status 404: {"message":"..."}"; keep the engine's own words, quotes
    // and all ("checksum failed for \"../etc/x\"" must not end at its first escaped quote)
    int json = m.indexOf('{');
    if (json >= 0) {
      try {
        JsonNode said = JSON.readTree(m.substring(json)).path("message");
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

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort; nothing useful to do with the failure
    }
  }

  /** Output kept per exec: enough for an error line, bounded for chatty commands. */
  private static final int EXEC_OUTPUT_LIMIT = 8192;
  /** Log bytes read for an error message (the tail of lines asked for is usually far less). */
  private static final int LOG_BYTES_LIMIT = 1 << 20;
  private static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);
  /** How often the exit code is asked for when the output ended before the engine recorded it. */
  private static final Duration EXIT_POLL = Duration.ofMillis(20);

  /**
   * Runs the command attached to its output. The output stream ends when the command closes
   * it, which can be a moment before the engine records the exit code (or long before, when
   * a child keeps running): the exit code is asked for until the engine has one or the
   * timeout passes, never guessed. A stream that breaks (the engine fails) is an
   * {@link EngineException}, not an exit code.
   */
  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
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

  /** The engine's messages can span lines; ours are one line each. */
  static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
