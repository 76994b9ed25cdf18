package io.minify.engine.docker;

import static io.minify.engine.docker.DockerCalls.call;
import static io.minify.engine.docker.DockerCalls.firstLine;
import static io.minify.engine.docker.DockerCalls.oneLine;
import static io.minify.engine.docker.DockerCalls.rootMessage;
import static io.minify.engine.docker.DockerCalls.whileTheEngineIsBack;


import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.LoadResponseItem;
import com.github.dockerjava.transport.DockerHttpClient;
import io.minify.digest.Digest;
import io.minify.engine.EngineException;
import io.minify.engine.EngineRefusedException;
import io.minify.engine.ImageContentRefusedException;
import io.minify.engine.ImageInfo;
import io.minify.engine.ImageStore;
import io.minify.image.ImageConfigJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ImageStore} over docker-java: the engine's images, as {@code docker image} sees them. */
final class DockerImageStore implements ImageStore {

  private final DockerConnection connection;
  private final DockerClient docker;

  DockerImageStore(DockerConnection connection) {
    this.connection = connection;
    this.docker = connection.docker();
  }

  @Override
  public Optional<ImageInfo> inspectImage(String reference) {
    try (DockerHttpClient.Response response = connection.get("/images/" + encodePath(reference) + "/json")) {
      if (response.getStatusCode() == 404) {
        return Optional.empty();
      }
      JsonNode node = DockerConnection.JSON.readTree(response.getBody());
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
      data = connection.getJson("/images/" + encodePath(reference) + "/json").path("GraphDriver").path("Data");
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

  private static String encodePath(String reference) {
    // image references contain '/' and ':' which the engine expects verbatim
    return URLEncoder.encode(reference, StandardCharsets.UTF_8).replace("%2F", "/").replace("%3A", ":");
  }
}
