package io.minify.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.minify.engine.EngineException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one client both sides of the engine share: docker-java's commands, and the raw HTTP
 * client under them for the few requests whose status code is the answer. Every request is
 * pinned to the API version the engine reported.
 */
final class DockerConnection implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final DockerHttpClient http;
  private final DockerClient docker;
  private final String apiVersion;
  /** Where the engine is ({@code unix:///var/run/docker.sock}, {@code tcp://...}). */
  private final String host;

  DockerConnection(DockerHttpClient http, DockerClient docker, String apiVersion, String host) {
    this.http = http;
    this.docker = docker;
    this.apiVersion = apiVersion;
    this.host = host;
  }

  String apiVersion() {
    return apiVersion;
  }

  String host() {
    return host;
  }

  DockerClient docker() {
    return docker;
  }

  /** {@code GET} of an API path ({@code /images/...}); the caller closes the response. */
  DockerHttpClient.Response get(String apiPath) {
    return http.execute(DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
        .path("/v" + apiVersion + apiPath).build());
  }

  /** The JSON body of {@code GET} of an API path, whatever the status. */
  JsonNode getJson(String apiPath) {
    return getJson(http, "/v" + apiVersion + apiPath);
  }

  /** The JSON body of {@code GET path}, whatever the status: also before the API version is known. */
  static JsonNode getJson(DockerHttpClient http, String path) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET).path(path).build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      return JSON.readTree(response.getBody());
    } catch (IOException e) {
      throw new EngineException("reading " + path + " from the engine failed: " + e.getMessage(), e);
    }
  }

  boolean answers(Duration within) {
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
  public void close() {
    DockerCalls.closeQuietly(docker);
    DockerCalls.closeQuietly(http);
  }
}
