package io.minify.run;

import io.minify.tar.SmallTar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The start gate's directory as a tar to copy into a created container, for an engine that
 * cannot bind-mount it from this machine: the gate binary and the FIFO (a FIFO entry: the
 * engine makes the node) with their modes, under the gate's path in the container.
 */
final class GateArchive {

  private GateArchive() {}

  static byte[] of(Path gateDirectory, String containerDir) throws IOException {
    String prefix = containerDir.replaceFirst("^/+", "");
    List<SmallTar.Entry> entries = new ArrayList<>();
    entries.add(SmallTar.directory(prefix + "/", 0755));
    try (Stream<Path> files = Files.list(gateDirectory)) {
      for (Path file : files.sorted().toList()) {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String name = prefix + "/" + file.getFileName();
        int mode = mode(a.permissions());
        if (a.isRegularFile()) {
          entries.add(SmallTar.file(name, mode, Files.readAllBytes(file)));
        } else if (a.isOther()) {
          entries.add(SmallTar.fifo(name, mode));
        }
      }
    }
    return SmallTar.of(entries);
  }

  private static int mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }
}
