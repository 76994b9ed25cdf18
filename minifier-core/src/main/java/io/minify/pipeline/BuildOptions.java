package io.minify.pipeline;

import io.minify.image.ImageReference;
import io.minify.image.WorkFiles;
import io.minify.pack.ConfigChanges;
import io.minify.run.ExecCommand;
import io.minify.run.ProbeSettings;
import io.minify.run.RunSettings;
import io.minify.select.IncludeRule;
import io.minify.select.KeepRules;
import io.minify.verify.LoosePaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the user asked {@code minify build} to do. Each concern has its own record, owned by
 * the stage that uses it: probing ({@link ProbeSettings}), the temporary container
 * ({@link RunSettings}), what is kept ({@link KeepRules}), the new image's config
 * ({@link ConfigChanges}) and where the result goes ({@link OutputTargets}).
 *
 * @param image      the image to shrink (reference or id); it must be local
 * @param slimTag    the output tag; null for the default {@code <repo>.slim:<tag>}
 * @param workRoot   where the build's temporary directory goes (deleted at the end)
 * @param reportFile where minify-report.json goes; null for none
 * @param stopGrace  how long the app gets to stop before it is killed
 * @param keepPackageDb whether the slim layer carries the image's package database trimmed to
 *                   the packages with kept files (so scanners report what is shipped)
 * @param stripElf   whether kept ELF programs and shared objects lose their debug information
 *                   and static symbol table in the slim layer (see {@link io.minify.elf.ElfStripPlan})
 * @param loosePaths the request paths verification compares on status and content type only
 */
public record BuildOptions(
    String image,
    ImageReference slimTag,
    Path workRoot,
    Path reportFile,
    Duration stopGrace,
    ProbeSettings probing,
    RunSettings run,
    KeepRules keep,
    ConfigChanges config,
    OutputTargets output,
    boolean keepPackageDb,
    boolean stripElf,
    LoosePaths loosePaths) {

  public static BuildOptions defaults(String image) {
    return new BuildOptions(image, null, WorkFiles.defaultRoot(), null, Duration.ofSeconds(5),
        ProbeSettings.defaults(), RunSettings.defaults(), KeepRules.none(), ConfigChanges.none(),
        OutputTargets.defaults(), true, false, LoosePaths.none());
  }

  /**
   * The keep rules the selector applies: the user's, then one per program the --exec
   * commands name (numbered after the user's, each program once), so the slim image can run
   * the same commands: a readiness loop calls {@code sleep} only when the app is slow, and
   * the slim run must not depend on whether the watched run was.
   */
  public KeepRules selectionRules() {
    List<IncludeRule> includes = new ArrayList<>(keep.includes());
    Set<String> programs = new HashSet<>();
    for (ExecCommand command : probing.execs()) {
      for (String program : command.programs()) {
        if (programs.add(program)) {
          includes.add(IncludeRule.execProgram(command.text(), program));
        }
      }
    }
    return keep.withIncludes(includes);
  }

  public BuildOptions withLoosePaths(LoosePaths paths) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, stopGrace, probing, run, keep, config, output,
        keepPackageDb, stripElf, paths);
  }

  public BuildOptions withSlimTag(ImageReference tag) {
    return new BuildOptions(image, tag, workRoot, reportFile, stopGrace, probing, run, keep, config, output,
        keepPackageDb, stripElf, loosePaths);
  }

  public BuildOptions withWorkRoot(Path root) {
    return new BuildOptions(image, slimTag, root, reportFile, stopGrace, probing, run, keep, config, output,
        keepPackageDb, stripElf, loosePaths);
  }

  public BuildOptions withReportFile(Path file) {
    return new BuildOptions(image, slimTag, workRoot, file, stopGrace, probing, run, keep, config, output,
        keepPackageDb, stripElf, loosePaths);
  }

  public BuildOptions withProbing(ProbeSettings settings) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, stopGrace, settings, run, keep, config, output,
        keepPackageDb, stripElf, loosePaths);
  }

  public BuildOptions withRun(RunSettings settings) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, stopGrace, probing, settings, keep, config, output,
        keepPackageDb, stripElf, loosePaths);
  }

  public BuildOptions withKeep(KeepRules rules) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, stopGrace, probing, run, rules, config, output,
        keepPackageDb, stripElf, loosePaths);
  }

  public BuildOptions withConfig(ConfigChanges changes) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, stopGrace, probing, run, keep, changes, output,
        keepPackageDb, stripElf, loosePaths);
  }

  public BuildOptions withKeepPackageDb(boolean trimmedDb) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, stopGrace, probing, run, keep, config, output,
        trimmedDb, stripElf, loosePaths);
  }

  public BuildOptions withStripElf(boolean strip) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, stopGrace, probing, run, keep, config, output,
        keepPackageDb, strip, loosePaths);
  }

  public BuildOptions withOutput(OutputTargets targets) {
    return new BuildOptions(image, slimTag, workRoot, reportFile, stopGrace, probing, run, keep, config, targets,
        keepPackageDb, stripElf, loosePaths);
  }
}
