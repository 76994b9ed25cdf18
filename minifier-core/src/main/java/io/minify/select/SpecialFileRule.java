package io.minify.select;

import io.minify.image.EntryType;
import io.minify.image.FileEntry;
import io.minify.image.SymlinkTarget;
import io.minify.path.UnixPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * {@link KeepUnit#SPECIAL_FILES}: fanotify reports opens of regular files and directories on
 * the container's root mount only, so a FIFO or device node the app opens leaves no trace,
 * and neither does a symlink whose target the runtime mounts ({@code access.log ->
 * /dev/stdout}: the open resolves to a pipe). Such entries in a kept directory are kept.
 * Runs after parent directories are known.
 */
final class SpecialFileRule implements KeepUnitRule {
  /** Where the container runtime mounts its own filesystems over the image. */
  private static final List<UnixPath> RUNTIME_MOUNTS = List.of(UnixPath.of("/dev"), UnixPath.of("/proc"),
      UnixPath.of("/sys"));


  @Override
  public List<FoundUnit> apply(UnitContext ctx) {
    List<FoundUnit> found = new ArrayList<>();
    for (FileEntry e : ctx.fs().entries()) {
      boolean special = e.isSpecialFile() || (e.type() == EntryType.SYMLINK && pointsIntoRuntimeMount(e));
      if (special && ctx.keep().contains(e.path().parent())
          && ctx.keep().offer(e.path(), new KeptBecause(KeepReason.SPECIAL_FILE, "in kept " + e.path().parent()))) {
        found.add(new FoundUnit.Kept(e.path().toString(), List.of(e.type().name().toLowerCase(Locale.ROOT)
            + (e.type() == EntryType.SYMLINK ? " to " + e.symlinkTarget() : "")), OptionalLong.empty(), List.of()));
      }
    }
    return found;
  }

  private static boolean pointsIntoRuntimeMount(FileEntry link) {
    SymlinkTarget target = link.symlinkTarget();
    if (target == null || !target.isAbsolute()) {
      return false;
    }
    UnixPath path = UnixPath.ofBytes(target.bytes());
    return RUNTIME_MOUNTS.stream().anyMatch(path::isSameOrBelow);
  }
}
