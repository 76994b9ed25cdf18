package io.minify.sensor;

import io.minify.path.UnixPath;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a monitored container opened, as paths seen from inside the container
 * ("/usr/lib/x86_64-linux-gnu/libc.so.6"), symlinks already resolved by the kernel, each the
 * exact bytes the kernel reported.
 *
 * @param files       regular files (and other non-directories) that were opened or executed
 * @param directories directories that were opened (readdir, O_DIRECTORY, ...)
 * @param executed    the files among {@code files} that were executed (programs, scripts,
 *                    and the ELF interpreters the kernel loaded for them)
 * @param written     files that were opened for writing and closed during the run (in the
 *                    image or created at run time)
 * @param processUids the user ids the app's processes ran as at the end of the run (a server
 *                    that starts as root and serves as a service user shows both); empty when
 *                    not known
 * @param events      number of fanotify events read, for the report
 */
public record AccessLog(SortedSet<UnixPath> files, SortedSet<UnixPath> directories, SortedSet<UnixPath> executed,
    SortedSet<UnixPath> written, SortedSet<Integer> processUids, long events) {
  public AccessLog {
    files = Collections.unmodifiableSortedSet(new TreeSet<>(files));
    directories = Collections.unmodifiableSortedSet(new TreeSet<>(directories));
    executed = Collections.unmodifiableSortedSet(new TreeSet<>(executed));
    written = Collections.unmodifiableSortedSet(new TreeSet<>(written));
    processUids = Collections.unmodifiableSortedSet(new TreeSet<>(processUids));
  }

  /** A log of opens only (nothing known to be executed or written). */
  public static AccessLog ofOpens(SortedSet<UnixPath> files, SortedSet<UnixPath> directories, long events) {
    return new AccessLog(files, directories, new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), events);
  }
}
