package io.minify.elf;

import io.minify.path.UnixPath;
import java.util.List;

/**
 * The files an ELF program needs to start, as found inside an image.
 *
 * @param files    real (symlink-free) paths of the start files that exist, their
 *                 interpreters (ELF PT_INTERP and script "#!" lines) and every library of
 *                 the DT_NEEDED closure; sorted
 * @param symlinks every symlink traversed to reach them (e.g. "/lib64", "/lib"); sorted
 * @param missing  dependencies that could not be found in the image, with who needed them
 * @param problems one line per start path or dependency that could not be examined
 *                 (missing start path, malformed ELF file)
 */
public record ElfClosure(List<UnixPath> files, List<UnixPath> symlinks, List<MissingDependency> missing, List<String> problems) {
  public ElfClosure {
    files = List.copyOf(files);
    symlinks = List.copyOf(symlinks);
    missing = List.copyOf(missing);
    problems = List.copyOf(problems);
  }

  /**
   * A soname (or interpreter path) that no search directory of the image provides.
   *
   * @param name     the soname or path asked for
   * @param neededBy the real path of the file that needs it
   */
  public record MissingDependency(String name, UnixPath neededBy) {}
}
