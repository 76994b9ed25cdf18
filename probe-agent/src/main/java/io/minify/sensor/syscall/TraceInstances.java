package io.minify.sensor.syscall;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongPredicate;

/**
 * The tracefs instances directory: a {@code mkdir} there makes the kernel create a private
 * trace instance (its own ring buffer, event switches, pid filter), {@code rmdir} frees it.
 * {@link Tracefs} is the real one; tests hand out plain directories laid out the same way.
 */
public interface TraceInstances {

  /** Creates instance {@code name} and returns its directory. */
  Path create(String name) throws IOException;

  /** Removes the instance made by {@link #create}; fails while a file of it is open. */
  void remove(Path instance) throws IOException;

  /**
   * Removes the instances named {@code <prefix>-<owner pid>-...} whose owner is not
   * {@code alive}; one that cannot be removed (still read) is left.
   */
  void removeLeftovers(String prefix, LongPredicate alive) throws IOException;
}
