package io.minify.engine.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import io.minify.engine.ContainerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A {@link ContainerSpec} as the engine is asked for it; built, never sent. */
class DockerCreateRequestTest {

  private final DockerClient docker = DockerClientImpl.getInstance(DefaultDockerClientConfig
      .createDefaultConfigBuilder().withDockerHost("unix:///nonexistent/docker.sock").withApiVersion("1.41").build(),
      new DockerHttpClient() {
        @Override
        public Response execute(Request request) {
          throw new AssertionError("nothing is sent: " + request.path());
        }

        @Override
        public void close() {}
      });

  @AfterEach
  void closeClient() throws Exception {
    docker.close();
  }

  @Test
  void theGateIsAReadOnlyBindMountAndPortsArePublishedWhereAsked() {
    ContainerSpec spec = new ContainerSpec("app:1", List.of("/.minify/gate", "/app"),
        Map.of(Path.of("/tmp/minify-run/gate"), "/.minify"), List.of(8080, 9090), Map.of(ContainerSpec.OWNER_LABEL, "run"),
        List.of("A=1"), List.of(new ContainerSpec.Mount(true, null, "/data", false)), "backend", "1000:1000", "/srv",
        Map.of(9090, 19090), "0.0.0.0", false, List.of());
    CreateContainerCmd cmd = DockerCreateRequest.of(spec).command(docker);
    HostConfig host = cmd.getHostConfig();

    assertEquals("app:1", cmd.getImage());
    assertEquals(List.of(
        new Mount().withType(MountType.BIND).withSource("/tmp/minify-run/gate").withTarget("/.minify").withReadOnly(true),
        new Mount().withType(MountType.VOLUME).withTarget("/data").withReadOnly(false)), host.getMounts());
    // the engine-chosen port first, then the fixed ones
    assertArrayEquals(new ExposedPort[] {ExposedPort.tcp(8080), ExposedPort.tcp(9090)}, cmd.getExposedPorts());
    Map<ExposedPort, Ports.Binding[]> bindings = host.getPortBindings().getBindings();
    assertArrayEquals(new Ports.Binding[] {Ports.Binding.bindIp("0.0.0.0")}, bindings.get(ExposedPort.tcp(8080)));
    assertArrayEquals(new Ports.Binding[] {Ports.Binding.bindIpAndPort("0.0.0.0", 19090)},
        bindings.get(ExposedPort.tcp(9090)));
    assertArrayEquals(new String[] {"/.minify/gate", "/app"}, cmd.getEntrypoint());
    assertArrayEquals(new String[] {"A=1"}, cmd.getEnv());
    assertEquals(Map.of(ContainerSpec.OWNER_LABEL, "run"), cmd.getLabels());
    assertEquals("1000:1000", cmd.getUser());
    assertEquals("/srv", cmd.getWorkingDir());
    assertEquals("backend", host.getNetworkMode());
    assertNull(host.getPidMode());
    assertNull(host.getCapAdd());
  }

  @Test
  void theSensorGetsTheHostsPidNamespaceAndItsTwoCapabilities() {
    ContainerSpec spec = new ContainerSpec("minify-sensor:run", List.of("/minify-sensor", "watch", "42"), Map.of(),
        List.of(), Map.of(), List.of(), List.of(), "none", "0:0", "/", Map.of(), ContainerSpec.LOOPBACK, true,
        List.of("SYS_ADMIN", "SYS_PTRACE"));
    HostConfig host = DockerCreateRequest.of(spec).command(docker).getHostConfig();

    assertEquals("host", host.getPidMode());
    assertArrayEquals(new Capability[] {Capability.SYS_ADMIN, Capability.SYS_PTRACE}, host.getCapAdd());
    assertNull(host.getMounts(), "no mounts asked for, none sent");
  }

  @Test
  void aSeccompProfileGoesAsItsJsonInTheSecurityOptions() {
    String option = "seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\"}";
    HostConfig host = DockerCreateRequest.of(new ContainerSpec("app:1", List.of(), Map.of(), List.of(), Map.of())
        .withSecurityOptions(List.of(option))).command(docker).getHostConfig();
    assertEquals(List.of(option), host.getSecurityOpts());
    assertNull(DockerCreateRequest.of(new ContainerSpec("app:1", List.of(), Map.of(), List.of(), Map.of()))
        .command(docker).getHostConfig().getSecurityOpts(), "the engine's default profile unless one is given");
  }

  @Test
  void whatTheSpecLeavesOutIsTheImagesOwn() {
    CreateContainerCmd cmd = DockerCreateRequest.of(new ContainerSpec("app:1", List.of(), Map.of(), List.of(),
        Map.of())).command(docker);

    assertNull(cmd.getEntrypoint());
    assertNull(cmd.getUser());
    assertNull(cmd.getWorkingDir());
    assertNull(cmd.getEnv());
    assertArrayEquals(new ExposedPort[0], cmd.getExposedPorts());
  }
}
