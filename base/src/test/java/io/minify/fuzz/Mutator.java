package io.minify.fuzz;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/** Makes new inputs from a corpus of known ones, and smaller variants of a failing one. */
abstract class Mutator<T> {
  /** Doubling edits compound: larger inputs only slow the search down. */
  private static final int MAX_INPUT_LENGTH = 1 << 16;

  private UnaryOperator<T> repair = UnaryOperator.identity();

  final void repair(UnaryOperator<T> then) {
    UnaryOperator<T> before = repair;
    repair = t -> then.apply(before.apply(t));
  }

  /**
   * Edits of a random corpus member, then the repair: mostly one, since each edit of a
   * structured format is likely to make the rest of it unreadable; sometimes up to eight.
   */
  final T mutate(List<T> corpus, SplittableRandom random) {
    T input = corpus.get(random.nextInt(corpus.size()));
    int edits = random.nextInt(4) == 0 ? 1 + random.nextInt(8) : 1;
    for (int i = 0; i < edits; i++) {
      input = edit(input, corpus.get(random.nextInt(corpus.size())), random);
    }
    int length = length(input);
    if (length > MAX_INPUT_LENGTH) {
      input = cut(input, MAX_INPUT_LENGTH, length - MAX_INPUT_LENGTH);
    }
    return repair.apply(input);
  }

  /** One edit; {@code other} is a corpus member to splice from. */
  abstract T edit(T input, T other, SplittableRandom random);

  /**
   * Candidates smaller than {@code input}, largest cuts first (each repaired too); made one
   * at a time, since a large input has many.
   */
  final Iterable<T> smaller(T input) {
    int length = length(input);
    return () -> new java.util.Iterator<T>() {
      int chunk = Integer.highestOneBit(Math.max(1, length));
      int at = 0;

      @Override
      public boolean hasNext() {
        while (chunk >= 1 && at + chunk > length) {
          chunk /= 2;
          at = 0;
        }
        return chunk >= 1;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        T candidate = repair.apply(cut(input, at, chunk));
        at += chunk;
        return candidate;
      }
    };
  }

  abstract int length(T input);

  /** {@code input} without {@code length} units at {@code at}. */
  abstract T cut(T input, int at, int length);
}
