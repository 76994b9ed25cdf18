package io.minify.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import io.minify.engine.ContainerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link ContainerSpec} in docker-java's terms: the host config and the create command. */
final class DockerCreateRequest {

  private final ContainerSpec spec;
  private final HostConfig hostConfig;
  private final List<ExposedPort> exposed;

  private DockerCreateRequest(ContainerSpec spec, HostConfig hostConfig, List<ExposedPort> exposed) {
    this.spec = spec;
    this.hostConfig = hostConfig;
    this.exposed = exposed;
  }

  static DockerCreateRequest of(ContainerSpec spec) {
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
    if (!spec.securityOptions().isEmpty()) {
      hostConfig.withSecurityOpts(spec.securityOptions());
    }
    if (!spec.capAdd().isEmpty()) {
      hostConfig.withCapAdd(spec.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new));
    }
    if (spec.network() != null) {
      hostConfig.withNetworkMode(spec.network());
    }
    return new DockerCreateRequest(spec, hostConfig, List.copyOf(exposed));
  }

  /** The create command, ready to be executed. */
  CreateContainerCmd command(DockerClient docker) {
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
    return cmd;
  }
}
