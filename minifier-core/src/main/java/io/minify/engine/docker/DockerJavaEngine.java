package io.minify.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.EngineAddress;
import io.minify.engine.EngineException;
import io.minify.engine.ImageStore;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link ContainerEngine} over docker-java and its Apache httpclient5 transport: one client,
 * shared by the image side ({@link DockerImageStore}) and the container side
 * ({@link DockerContainerRuntime}).
 *
 * <p>API version: the client first asks the engine unversioned ({@code GET /version}) and
 * then pins every request to the API version the engine reports. A fixed version breaks
 * either old engines (20.10 speaks at most 1.41) or new ones (29 refuses anything below
 * 1.44); negotiating works for both.
 */
public final class DockerJavaEngine implements ContainerEngine {

  private static final String LOCAL_SOCKET = "unix:///var/run/docker.sock";
  private static final int MAX_CONNECTIONS = 32;
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
  /** Image save/load and container stop can legitimately take minutes. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(30);

  private final DockerConnection connection;
  private final String description;
  private final DockerImageStore images;
  private final DockerContainerRuntime containers;

  private DockerJavaEngine(DockerConnection connection, String description, EngineAddress address, boolean podman) {
    this.connection = connection;
    this.description = description;
    this.images = new DockerImageStore(connection);
    this.containers = new DockerContainerRuntime(connection, address, podman);
  }

  /**
   * Connects to the engine named by DOCKER_HOST, or the local socket.
   *
   * @throws EngineException when no engine answers, with a message that says what to do
   */
  public static DockerJavaEngine connect() {
    String host = Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank())
        .orElse(LOCAL_SOCKET);
    DockerClientConfig probeConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host).build();
    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(probeConfig.getDockerHost())
        .sslConfig(tlsSettings(host, probeConfig.getSSLConfig()))
        .maxConnections(MAX_CONNECTIONS)
        .connectionTimeout(CONNECTION_TIMEOUT)
        .responseTimeout(RESPONSE_TIMEOUT)
        .build();
    try {
      JsonNode version = DockerConnection.getJson(http, "/version");
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
          + imageStore(DockerConnection.getJson(http, "/v" + api + "/info")) + ", at " + host + ")";
      return new DockerJavaEngine(new DockerConnection(http, DockerClientImpl.getInstance(config, http), api, host),
          described, EngineAddress.of(host), podman);
    } catch (RuntimeException e) {
      DockerCalls.closeQuietly(http);
      if (e instanceof EngineException ee) {
        throw ee;
      }
      throw new EngineException("no Docker engine answers at " + host + ": " + DockerCalls.rootMessage(e)
          + " (start one with 'systemctl start docker' or 'dockerd &', or set DOCKER_HOST to one that runs)", e);
    }
  }

  /**
   * The TLS settings the transport gets: the configured ones; for a unix socket without any, a
   * context that costs nothing ({@link PlainConnection}). Over {@code tcp://} the transport
   * takes any settings as the wish to speak https, so there none stays none (plain HTTP).
   */
  static SSLConfig tlsSettings(String host, SSLConfig configured) {
    if (configured != null || !host.startsWith("unix://")) {
      return configured;
    }
    return new PlainConnection();
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
  public ImageStore images() {
    return images;
  }

  @Override
  public ContainerRuntime containers() {
    return containers;
  }

  @Override
  public void close() {
    connection.close();
  }
}
