package io.minify.failure;

import java.util.List;

/**
 * The JVM's heap bound (the launcher's -Xmx) turned out too small for an image. Said in one
 * line with the bound and how to raise it: a stack trace of an OutOfMemoryError tells a user
 * neither. By the time this is built the failing step's frames are gone, and with them what
 * filled the heap, so the cleanup that follows has room to run.
 */
public final class HeapExhausted {

  private HeapExhausted() {}

  public static BuildException failure(OutOfMemoryError e) {
    long mib = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    return new BuildException(FailureKind.ENVIRONMENT, "out of memory: this image needs more than the JVM's "
        + mib + " MiB heap; raise it with MINIFY_JAVA_OPTS=-Xmx" + Math.max(512, 4 * mib) + "m", List.of(), e);
  }
}
