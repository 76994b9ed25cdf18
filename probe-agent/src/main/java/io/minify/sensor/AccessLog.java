package io.minify.sensor;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a monitored container opened, as paths seen from inside the container
 * ("/usr/lib/x86_64-linux-gnu/libc.so.6"), symlinks already resolved by the kernel.
 *
 * @param files       regular files (and other non-directories) that were opened or executed
 * @param directories directories that were opened (readdir, O_DIRECTORY, ...)
 * @param events      number of fanotify events read, for the report
 */
public record AccessLog(SortedSet<String> files, SortedSet<String> directories, long events) {
  public AccessLog {
    files = Collections.unmodifiableSortedSet(new TreeSet<>(files));
    directories = Collections.unmodifiableSortedSet(new TreeSet<>(directories));
  }
}
