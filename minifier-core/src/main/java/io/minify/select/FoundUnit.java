package io.minify.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One thing a {@link KeepUnit} rule kept (a tree, a package, a library, a code unit), as data:
 * what it is and the bytes of file content it added. The report's line for it is made by
 * {@link #describe()} when the report is written, not by the rule.
 */
public sealed interface FoundUnit {

  /** What was kept: a path, a package, a library ("python /usr/lib/python3.11"). */
  String name();

  /** The bytes of regular-file content the rule newly kept for it; empty where it counts none. */
  OptionalLong bytesAdded();

  /** The report's line ({@code keepUnits[].found}). */
  String describe();

  private static String added(long bytes) {
    return bytes + " bytes added";
  }

  /**
   * A unit with facts about it: {@code NAME (FACT, ..., N bytes added; NOTE; ...)}.
   *
   * @param facts what it is or why it counts ("owned by uid 101", "12 entries", "fifo")
   * @param notes what the rule left out of it ("2 left out that need libraries the app did not load")
   */
  record Kept(String name, List<String> facts, OptionalLong bytesAdded, List<String> notes) implements FoundUnit {
    public Kept {
      facts = List.copyOf(facts);
      notes = List.copyOf(notes);
    }

    /** A unit named with its bytes and nothing else. */
    public static Kept of(String name, long bytesAdded) {
      return new Kept(name, List.of(), OptionalLong.of(bytesAdded), List.of());
    }

    @Override
    public String describe() {
      List<String> parts = new ArrayList<>(facts);
      bytesAdded.ifPresent(b -> parts.add(added(b)));
      StringBuilder line = new StringBuilder(name).append(" (").append(String.join(", ", parts));
      notes.forEach(n -> line.append("; ").append(n));
      return line.append(')').toString();
    }
  }

  /** A code root of the app kept whole, and what shows it to be one: {@code code root P (EVIDENCE; N bytes added)}. */
  record CodeRoot(String name, String evidence, long bytes) implements FoundUnit {
    @Override
    public OptionalLong bytesAdded() {
      return OptionalLong.of(bytes);
    }

    @Override
    public String describe() {
      return "code root " + name + " (" + evidence + "; " + added(bytes) + ")";
    }
  }

  /**
   * What part of a unit was kept: {@code NAME: PART (N bytes added)}, or {@code NAME: PART}
   * where the bytes are counted elsewhere (by the units a manifest names) or not at all.
   */
  record Part(String name, String part, OptionalLong bytesAdded) implements FoundUnit {
    @Override
    public String describe() {
      return name + ": " + part + (bytesAdded.isPresent() ? " (" + added(bytesAdded.getAsLong()) + ")" : "");
    }
  }

  /**
   * A code unit kept by reading its code ({@link ScannedUnit}): the files and bytes kept, and
   * either why it is kept whole or the directories of it kept whole.
   *
   * @param wholeBecause why the unit is kept whole, when it is
   */
  record Scanned(String name, int files, long bytes, Optional<String> wholeBecause, List<WholeDirectory> wholeDirectories)
      implements FoundUnit {
    public Scanned {
      wholeDirectories = List.copyOf(wholeDirectories);
    }

    @Override
    public OptionalLong bytesAdded() {
      return OptionalLong.of(bytes);
    }

    @Override
    public String describe() {
      String counts = files + " files, " + bytes + " bytes";
      if (wholeBecause.isPresent()) {
        return name + ": whole (" + wholeBecause.get() + "), " + counts;
      }
      StringBuilder line = new StringBuilder(name + ": " + counts + " kept by scan");
      if (!wholeDirectories.isEmpty()) {
        line.append("; whole: ").append(String.join(", ", wholeDirectories.stream().map(WholeDirectory::describe)
            .toList()));
      }
      return line.toString();
    }
  }

  /**
   * An interpreter's library kept by its require graph ({@link ScriptLibraries}).
   *
   * @param resolved   the features or modules kept code requires that the library holds
   * @param noun       what {@code resolved} counts: "features" (Ruby), "modules" (Perl)
   * @param scanBytes  bytes the require graph added
   * @param wholeBytes bytes the subtrees kept whole added
   * @param unbounded  files whose computed requires were not followed
   */
  record Library(String name, long resolved, String noun, long scanBytes, long wholeBytes,
      List<WholeDirectory> wholeDirectories, List<String> unbounded) implements FoundUnit {
    public Library {
      wholeDirectories = List.copyOf(wholeDirectories);
      unbounded = List.copyOf(unbounded);
    }

    @Override
    public OptionalLong bytesAdded() {
      return OptionalLong.of(scanBytes + wholeBytes);
    }

    @Override
    public String describe() {
      StringBuilder line = new StringBuilder(name).append(": ").append(resolved).append(' ').append(noun)
          .append(" required by kept code (").append(added(scanBytes)).append(')');
      if (!wholeDirectories.isEmpty()) {
        line.append("; kept whole (").append(added(wholeBytes)).append("): ")
            .append(String.join(", ", wholeDirectories.stream().map(WholeDirectory::describe).toList()));
      }
      if (!unbounded.isEmpty()) {
        line.append("; computed requires not followed: ").append(String.join(", ", unbounded));
      }
      return line.toString();
    }
  }

  /** A directory kept whole because a computed load defeats reading what it holds, and which load. */
  record WholeDirectory(String path, String why) {
    String describe() {
      return path + " (" + why + ")";
    }
  }

  /** Not a unit: how the rule worked ("told apart by the image's dpkg database"). */
  record Note(String text) implements FoundUnit {
    @Override
    public String name() {
      return text;
    }

    @Override
    public OptionalLong bytesAdded() {
      return OptionalLong.empty();
    }

    @Override
    public String describe() {
      return text;
    }
  }
}
