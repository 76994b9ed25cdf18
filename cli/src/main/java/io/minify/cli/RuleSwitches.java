package io.minify.cli;

import io.minify.pipeline.BuildOptions;
import io.minify.select.DropRule;
import io.minify.select.KeepUnit;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code --[no-]keep-...} flag of every {@link KeepUnit} and the {@code --[no-]drop-...}
 * flag of every {@link DropRule}, made from those enums: a unit or drop rule added there has
 * its flag, its help and its place in the report without a line here. Each is on unless
 * turned off ({@code --no-keep-app-package}, or {@code --keep-app-package=false}). A mixin, so
 * that the command keeps one instance and its flags' values.
 */
final class RuleSwitches {

  private final Set<KeepUnit> units = EnumSet.copyOf(KeepUnit.defaults());
  private final Set<DropRule> drops = EnumSet.copyOf(DropRule.defaults());

  /** Adds the two groups of flags to this mixin's spec, from which picocli adds them to the command. */
  @Spec
  void addFlags(CommandSpec spec) {
    ArgGroupSpec.Builder keep = group("%nKeep units (each on; --no-keep-X or --keep-X=false turns one off):%n");
    for (KeepUnit unit : KeepUnit.values()) {
      keep.addArg(flag(unit.option(), unit.help(), units, unit));
    }
    spec.addArgGroup(keep.build());
    ArgGroupSpec.Builder drop = group("%nDrop rules (each on; --no-drop-X or --drop-X=false turns one off):%n");
    for (DropRule rule : DropRule.values()) {
      drop.addArg(flag(rule.option(), rule.help(), drops, rule));
    }
    spec.addArgGroup(drop.build());
  }

  /** The keep units and drop rules left on, in the order of their enums. */
  Set<KeepUnit> units() {
    return Collections.unmodifiableSet(units);
  }

  Set<DropRule> drops() {
    return Collections.unmodifiableSet(drops);
  }

  private static ArgGroupSpec.Builder group(String heading) {
    return ArgGroupSpec.builder().heading(heading).validate(false).exclusive(false);
  }

  /**
   * A flag as the annotated {@code --[no-]strip-elf} is: negatable, on by default, {@code =true|false}
   * accepted; its value is whether {@code item} is in {@code on}.
   */
  private static <E extends Enum<E>> OptionSpec flag(String name, List<String> help, Set<E> on, E item) {
    IGetter getter = new IGetter() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T get() {
        return (T) Boolean.valueOf(on.contains(item));
      }
    };
    ISetter setter = new ISetter() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T set(T value) {
        Boolean was = on.contains(item);
        turn(on, item, (Boolean) value);
        return (T) was;
      }
    };
    return OptionSpec.builder(name).type(boolean.class).negatable(true).defaultValue("true").fallbackValue("true")
        .description(help.toArray(String[]::new)).getter(getter).setter(setter).build();
  }

  private static <E extends Enum<E>> void turn(Set<E> on, E item, boolean enabled) {
    if (enabled) {
      on.add(item);
    } else {
      on.remove(item);
    }
  }
}
