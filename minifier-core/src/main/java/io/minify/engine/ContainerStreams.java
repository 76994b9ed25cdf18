package io.minify.engine;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where an attached container's streams go: bytes as the container reads and writes them.
 * With a terminal the container writes one stream, which goes to {@code stdout}.
 *
 * @param stdin  what the container reads (its end closes the container's stdin); null for nothing
 * @param stdout where its stdout goes
 * @param stderr where its stderr goes
 */
public record ContainerStreams(InputStream stdin, OutputStream stdout, OutputStream stderr) {}
