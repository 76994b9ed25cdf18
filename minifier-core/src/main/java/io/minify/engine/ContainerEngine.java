package io.minify.engine;

/**
 * The one door to the container engine. Everything engine-specific (docker-java, API
 * versions, the wire format) stays behind it, so another engine needs one new class per side.
 * It has two sides, and a class that needs one side is handed only that one: its
 * {@link #images() images} (what a build reads, loads and tags) and its
 * {@link #containers() containers} (what a build runs and watches). Whoever connected it
 * closes it, which ends both.
 */
public interface ContainerEngine extends AutoCloseable {

  /** The engine, for the report and failure messages: version, API, image store, address. */
  String version();

  ImageStore images();

  ContainerRuntime containers();

  /** Closes the client both sides share. */
  @Override
  void close();
}
