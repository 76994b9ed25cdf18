package io.minify.select;

import io.minify.image.FileEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link KeepUnit#SPECIAL_FILES}: fanotify reports opens of regular files and directories
 * only, so a FIFO or device node the app opens leaves no trace; one that lies in a kept
 * directory is kept. Runs after parent directories are known.
 */
final class SpecialFileRule implements KeepUnitRule {

  @Override
  public KeepUnit unit() {
    return KeepUnit.SPECIAL_FILES;
  }

  @Override
  public List<String> apply(UnitContext ctx) {
    List<String> found = new ArrayList<>();
    for (FileEntry e : ctx.fs().entries()) {
      if (e.isSpecialFile() && ctx.keep().contains(e.path().parent())
          && ctx.keep().offer(e.path(), new KeptBecause(KeepReason.SPECIAL_FILE, "in kept " + e.path().parent()))) {
        found.add(e.path() + " (" + e.type().name().toLowerCase(java.util.Locale.ROOT) + ")");
      }
    }
    return found;
  }
}
