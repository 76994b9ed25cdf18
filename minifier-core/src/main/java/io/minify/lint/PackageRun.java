package io.minify.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code RUN} that fills a package manager's cache, and what becomes of that cache: kept
 * out by a cache mount, removed (or never written) in the same {@code RUN}, removed by a
 * later {@code RUN} (too late: the earlier layer still holds it), or left.
 *
 * @param run          the instruction
 * @param manager      the package manager
 * @param shipped      whether its stage ships (its layers are the image's)
 * @param mounted      a {@code --mount=type=cache} holds the manager's cache
 * @param leftNoCache  the same {@code RUN} removes the cache or tells the manager to keep none
 * @param removedLater a later {@code RUN} of the shipped stages that removes it
 */
record PackageRun(Instruction run, PackageManager manager, boolean shipped, boolean mounted, boolean leftNoCache,
    Optional<Instruction> removedLater) {

  /** Every such {@code RUN} of {@code dockerfile}, in file order, one per manager it uses. */
  static List<PackageRun> of(Dockerfile dockerfile) {
    List<Stage> shipped = dockerfile.shippedChain();
    Map<Integer, Map<String, String>> envByStage = new HashMap<>();
    List<PackageRun> runs = new ArrayList<>();
    for (Stage stage : dockerfile.stages()) {
      Map<String, String> env = new LinkedHashMap<>(dockerfile.earlierStage(stage)
          .map(s -> envByStage.get(s.index())).orElse(Map.of()));
      for (Instruction instruction : stage.instructions()) {
        if (instruction.is("ENV")) {
          KeyValue.parse(instruction, dockerfile.escape()).forEach(kv -> env.put(kv.key(), kv.value().orElse("")));
        }
        if (!instruction.is("RUN")) {
          continue;
        }
        List<ShellCommand> commands = ShellScript.of(instruction);
        for (PackageManager manager : PackageManager.values()) {
          List<ShellCommand> filling = commands.stream().filter(manager::fills).toList();
          if (filling.isEmpty()) {
            continue;
          }
          boolean mounted = cacheMounts(instruction).stream().anyMatch(manager::mountedAt);
          boolean clean = commands.stream().anyMatch(manager::removes)
              || filling.stream().allMatch(c -> manager.keepsNoCache(c, env));
          boolean inShipped = shipped.contains(stage);
          Optional<Instruction> later = inShipped ? laterRemoval(shipped, instruction, manager) : Optional.empty();
          runs.add(new PackageRun(instruction, manager, inShipped, mounted, clean, later));
        }
      }
      envByStage.put(stage.index(), env);
    }
    return runs;
  }

  /** The targets of the {@code --mount=type=cache,...} flags of {@code run}. */
  static List<String> cacheMounts(Instruction run) {
    List<String> targets = new ArrayList<>();
    for (String mount : run.flags("mount")) {
      Map<String, String> fields = new HashMap<>();
      for (String field : mount.split(",")) {
        int eq = field.indexOf('=');
        if (eq > 0) {
          fields.put(field.substring(0, eq).strip(), field.substring(eq + 1).strip());
        }
      }
      String target = fields.getOrDefault("target", fields.getOrDefault("dst", fields.get("destination")));
      if ("cache".equals(fields.get("type")) && target != null) {
        targets.add(target);
      }
    }
    return targets;
  }

  private static Optional<Instruction> laterRemoval(List<Stage> shipped, Instruction run, PackageManager manager) {
    for (Stage stage : shipped) {
      for (Instruction instruction : stage.instructions()) {
        if (instruction.is("RUN") && instruction.line() > run.line()
            && ShellScript.of(instruction).stream().anyMatch(manager::removes)) {
          return Optional.of(instruction);
        }
      }
    }
    return Optional.empty();
  }
}
