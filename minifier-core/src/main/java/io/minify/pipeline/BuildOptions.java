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
 * @param scenarios  the runs watched and verified one after the other, each these options with
 *                   its own fields in their place ({@code --scenarios}); empty: one run, these options
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
    LoosePaths loosePaths,
    List<Scenario> scenarios) {

  public BuildOptions {
    scenarios = List.copyOf(scenarios);
  }

  public static BuildOptions defaults(String image) {
    return new BuildOptions(image, null, WorkFiles.defaultRoot(), null, Duration.ofSeconds(5),
        ProbeSettings.defaults(), RunSettings.defaults(), KeepRules.none(), ConfigChanges.none(),
        OutputTargets.defaults(), true, false, LoosePaths.none(), List.of());
  }

  /**
   * The keep rules the selector applies: the user's, then one per program the --exec
   * commands name (numbered after the user's, each program once), so the slim image can run
   * the same commands: a readiness loop calls {@code sleep} only when the app is slow, and
   * the slim run must not depend on whether the watched run was.
   */
  public KeepRules selectionRules() {
    return selectionRules(probing.execs());
  }

  /**
   * {@link #selectionRules()} for the programs of {@code execs}: a build with scenarios keeps
   * the programs of every scenario's commands.
   */
  public KeepRules selectionRules(List<ExecCommand> execs) {
    List<IncludeRule> includes = new ArrayList<>(keep.includes());
    Set<String> programs = new HashSet<>();
    for (ExecCommand command : execs) {
      for (String program : command.programs()) {
        if (programs.add(program)) {
          includes.add(IncludeRule.execProgram(command.text(), program));
        }
      }
    }
    return keep.withIncludes(includes);
  }

  /** These options to change: set what differs, then {@link Builder#build()}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Options that differ from others in a few fields (the CLI's option groups each set theirs
   * over {@link #defaults}); it starts from a whole set of options, so none is ever missing.
   */
  public static final class Builder {
    private String image;
    private ImageReference slimTag;
    private Path workRoot;
    private Path reportFile;
    private Duration stopGrace;
    private ProbeSettings probing;
    private RunSettings run;
    private KeepRules keep;
    private ConfigChanges config;
    private OutputTargets output;
    private boolean keepPackageDb;
    private boolean stripElf;
    private LoosePaths loosePaths;
    private List<Scenario> scenarios;

    private Builder(BuildOptions from) {
      image = from.image;
      slimTag = from.slimTag;
      workRoot = from.workRoot;
      reportFile = from.reportFile;
      stopGrace = from.stopGrace;
      probing = from.probing;
      run = from.run;
      keep = from.keep;
      config = from.config;
      output = from.output;
      keepPackageDb = from.keepPackageDb;
      stripElf = from.stripElf;
      loosePaths = from.loosePaths;
      scenarios = from.scenarios;
    }

    public Builder slimTag(ImageReference tag) {
      slimTag = tag;
      return this;
    }

    public Builder workRoot(Path root) {
      workRoot = root;
      return this;
    }

    public Builder reportFile(Path file) {
      reportFile = file;
      return this;
    }

    public Builder probing(ProbeSettings settings) {
      probing = settings;
      return this;
    }

    public Builder run(RunSettings settings) {
      run = settings;
      return this;
    }

    public Builder keep(KeepRules rules) {
      keep = rules;
      return this;
    }

    public Builder config(ConfigChanges changes) {
      config = changes;
      return this;
    }

    public Builder output(OutputTargets targets) {
      output = targets;
      return this;
    }

    public Builder keepPackageDb(boolean trimmedDb) {
      keepPackageDb = trimmedDb;
      return this;
    }

    public Builder stripElf(boolean strip) {
      stripElf = strip;
      return this;
    }

    public Builder loosePaths(LoosePaths paths) {
      loosePaths = paths;
      return this;
    }

    public Builder scenarios(List<Scenario> runs) {
      scenarios = runs;
      return this;
    }

    public BuildOptions build() {
      return new BuildOptions(image, slimTag, workRoot, reportFile, stopGrace, probing, run, keep, config, output,
          keepPackageDb, stripElf, loosePaths, scenarios);
    }
  }
}
