package io.minify.engine.docker;

import static io.minify.engine.docker.DockerCalls.call;
import static io.minify.engine.docker.DockerCalls.firstLine;
import static io.minify.engine.docker.DockerCalls.oneLine;
import static io.minify.engine.docker.DockerCalls.refusedInItsOwnWords;
import static io.minify.engine.docker.DockerCalls.rootMessage;
import static io.minify.engine.docker.DockerCalls.shortId;
import static io.minify.engine.docker.DockerCalls.whileTheEngineIsBack;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.transport.DockerHttpClient;
import io.minify.engine.AttachedContainerSpec;
import io.minify.engine.ContainerChange;
import io.minify.engine.ContainerInfo;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.ContainerSpec;
import io.minify.engine.ContainerState;
import io.minify.engine.ContainerStreams;
import io.minify.engine.EngineAddress;
import io.minify.engine.EngineException;
import io.minify.engine.ExecResult;
import io.minify.engine.NamespaceModes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@link ContainerRuntime} over docker-java: the engine's containers, as {@code docker
 * container} sees them. The calls that answer with output frames are {@link DockerContainerStreams}'.
 */
final class DockerContainerRuntime implements ContainerRuntime {

  private final DockerConnection connection;
  private final DockerClient docker;
  private final DockerContainerStreams streams;
  private final EngineAddress address;
  /** Podman's compat API: its {@code top} takes its own column names, not ps(1) options. */
  private final boolean podman;

  DockerContainerRuntime(DockerConnection connection, EngineAddress address, boolean podman) {
    this.connection = connection;
    this.docker = connection.docker();
    this.streams = new DockerContainerStreams(docker);
    this.address = address;
    this.podman = podman;
  }

  @Override
  public boolean answers(Duration within) {
    return connection.answers(within);
  }

  @Override
  public EngineAddress address() {
    return address;
  }

  @Override
  public String createContainer(ContainerSpec spec) {
    DockerCreateRequest request = DockerCreateRequest.of(spec);
    return call("creating a container from " + spec.image(), () -> request.command(docker).exec().getId());
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
  public boolean containerHasPath(String containerId, String path) {
    try (DockerHttpClient.Response response = connection.get("/containers/" + containerId + "/archive?path="
        + URLEncoder.encode(path, StandardCharsets.UTF_8))) {
      return response.getStatusCode() == 200;
    } catch (RuntimeException e) {
      throw new EngineException("looking for " + path + " in container " + shortId(containerId) + " failed: "
          + oneLine(rootMessage(e)), e);
    }
  }

  @Override
  public void copyToContainer(String containerId, byte[] tar, String directory) {
    call("copying into container " + shortId(containerId), () -> {
      docker.copyArchiveToContainerCmd(containerId).withTarInputStream(new ByteArrayInputStream(tar))
          .withRemotePath(directory).withNoOverwriteDirNonDir(true).exec();
      return null;
    });
  }

  @Override
  public AutoCloseable followOutput(String containerId, Consumer<byte[]> stdout, Runnable ended) {
    return streams.followOutput(containerId, stdout, ended);
  }

  @Override
  public Optional<ContainerInfo> inspectContainer(String nameOrId) {
    InspectContainerResponse found;
    try {
      found = docker.inspectContainerCmd(nameOrId).exec();
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (DockerException e) {
      throw new EngineException("inspecting container " + nameOrId + " failed: " + firstLine(e.getMessage()), e);
    } catch (RuntimeException e) {
      throw new EngineException("inspecting container " + nameOrId + " failed: " + oneLine(rootMessage(e)), e);
    }
    HostConfig host = found.getHostConfig();
    String name = found.getName() == null ? "" : found.getName();
    return Optional.of(new ContainerInfo(found.getId(), name.startsWith("/") ? name.substring(1) : name,
        found.getConfig() == null ? "" : String.valueOf(found.getConfig().getImage()), found.getImageId(),
        found.getState() != null && Boolean.TRUE.equals(found.getState().getRunning()),
        host == null ? NamespaceModes.own()
            : new NamespaceModes(host.getPidMode(), host.getNetworkMode(), host.getIpcMode())));
  }

  @Override
  public String createAttached(AttachedContainerSpec spec) {
    NamespaceModes joined = spec.namespaces();
    HostConfig host = HostConfig.newHostConfig();
    if (joined.pid() != null && !joined.pid().isEmpty()) {
      host.withPidMode(joined.pid());
    }
    if (joined.network() != null && !joined.network().isEmpty()) {
      host.withNetworkMode(joined.network());
    }
    if (joined.ipcShared()) {
      host.withIpcMode(joined.ipc());
    }
    if (!spec.capAdd().isEmpty()) {
      host.withCapAdd(spec.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new));
    }
    return call("creating a container from " + spec.image(), () -> {
      var create = docker.createContainerCmd(spec.image()).withName(spec.name()).withHostConfig(host)
          .withLabels(spec.labels()).withEntrypoint(spec.command()).withTty(spec.tty())
          // stdin open for the attach, closed for the container when this side's input ends
          .withAttachStdin(true).withStdinOpen(true).withStdInOnce(true).withAttachStdout(true).withAttachStderr(true);
      if (spec.user() != null) {
        create.withUser(spec.user());
      }
      return create.exec().getId();
    });
  }

  @Override
  public int runAttached(String containerId, ContainerStreams streams, Runnable started) {
    Optional<StdinAttach> stdin = StdinAttach.open(connection, containerId, streams.stdin());
    try {
      return this.streams.runAttached(containerId, stdin.isPresent()
          ? new ContainerStreams(null, streams.stdout(), streams.stderr()) : streams, started);
    } finally {
      stdin.ifPresent(StdinAttach::close);
    }
  }

  @Override
  public void resizeTerminal(String containerId, AttachedContainerSpec.TerminalSize size) {
    try {
      docker.resizeContainerCmd(containerId).withSize(size.rows(), size.columns()).exec();
    } catch (NotFoundException | ConflictException e) {
      // gone or no longer running: no terminal to size
    } catch (DockerException e) {
      throw new EngineException("resizing the terminal of container " + shortId(containerId) + " failed: "
          + firstLine(e.getMessage()), e);
    }
  }

  @Override
  public void signal(String containerId, String signal) {
    try {
      docker.killContainerCmd(containerId).withSignal(signal).exec();
    } catch (NotFoundException | ConflictException e) {
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
    return streams.logTail(containerId, lines);
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
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    return streams.exec(containerId, command, timeout);
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
}
