package io.minify.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs one fuzz target: calls a parser with generated inputs (the seeds, their mutations)
 * until the target's time budget is spent, and fails on the first input that breaks the
 * property every parser of user or image bytes promises: it returns or throws its documented
 * exception, within a time bound, without allocating more than a bound.
 *
 * <p>Why not a property-testing engine or libFuzzer: the suite must run every target for a
 * fraction of a second and a script must run the same targets for minutes, so the budget is
 * a duration, not a try count; each call runs on a watched thread so a hang is a finding
 * instead of a stuck build; and the bytes each call allocates are counted, so a length field
 * of 2^60 cannot hide behind a large heap.
 *
 * <p>Settings (system properties, so {@code scripts/fuzz.sh} can raise them):
 * {@code minify.fuzz.seconds} per target (default 0.3), {@code minify.fuzz.seed} (default:
 * new each run, printed in every failure), {@code minify.fuzz.report} a file to append one
 * tab-separated line per target to (target, executions, inputs accepted without an exception,
 * findings, seconds, seed).
 */
public final class Fuzzer<T> {

  /** One call of the code under test; whatever it throws is judged by the harness. */
  @FunctionalInterface
  public interface Target<T> {
    void run(T input) throws Exception;
  }

  /** How long one call may take: generous, the inputs are small; a real hang takes forever. */
  private static final long CALL_TIMEOUT_MILLIS = 5_000;
  /** What one call may allocate besides a multiple of its input: parsers cap what they read. */
  private static final long ALLOCATION_ALLOWANCE = 64L << 20;
  private static final int ALLOCATION_PER_INPUT_BYTE = 64;
  private static final int MAX_SHRINK_CALLS = 2_000;

  private final String name;
  private final Mutator<T> mutator;
  private final Function<T, Integer> sizeOf;
  private final Function<T, String> show;
  private final List<T> seeds = new ArrayList<>();
  private final List<Class<? extends Throwable>> documented = new ArrayList<>();

  private Fuzzer(String name, Mutator<T> mutator, Function<T, Integer> sizeOf, Function<T, String> show) {
    this.name = name;
    this.mutator = mutator;
    this.sizeOf = sizeOf;
    this.show = show;
  }

  /** A target that reads bytes (archives, binaries). */
  public static Fuzzer<byte[]> ofBytes(String name) {
    return new Fuzzer<>(name, new ByteMutator(), b -> b.length,
        b -> b.length + " bytes, base64 " + Base64.getEncoder().encodeToString(b));
  }

  /** A target that reads text (options, files a user writes); {@code tokens} are spliced in. */
  public static Fuzzer<String> ofText(String name, List<String> tokens) {
    return new Fuzzer<>(name, new TextMutator(tokens), s -> s.length() * 2, Fuzzer::javaLiteral);
  }

  /** An input the target gets as it is, and mutates into others. */
  @SafeVarargs
  public final Fuzzer<T> seeds(T... inputs) {
    for (T input : inputs) {
      seeds.add(input);
    }
    return this;
  }

  public Fuzzer<T> seeds(List<T> inputs) {
    seeds.addAll(inputs);
    return this;
  }

  /** Applied to every mutant, e.g. to repair tar checksums so the mutation reaches past them. */
  public Fuzzer<T> repairedBy(java.util.function.UnaryOperator<T> repair) {
    mutator.repair(repair);
    return this;
  }

  /** An exception the code under test documents: thrown for a bad input, it is no finding. */
  public Fuzzer<T> allowing(Class<? extends Throwable> exception) {
    documented.add(exception);
    return this;
  }

  /** Fuzzes for the budget; throws an AssertionError naming the smallest failing input found. */
  public void run(Target<T> target) {
    if (seeds.isEmpty()) {
      throw new IllegalStateException(name + ": a fuzz target needs at least one seed");
    }
    double seconds = Double.parseDouble(System.getProperty("minify.fuzz.seconds", "0.3"));
    long seed = Long.getLong("minify.fuzz.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-" + name);
      t.setDaemon(true); // a hung call must not keep the JVM alive
      return t;
    });
    long start = System.nanoTime();
    long deadline = Long.MAX_VALUE; // set once the seeds ran: their first calls pay for class loading
    long executions = 0;
    long accepted = 0;
    String finding = null;
    try {
      List<T> corpus = new ArrayList<>(seeds);
      while (finding == null && System.nanoTime() < deadline) {
        if (executions == seeds.size()) {
          deadline = System.nanoTime() + (long) (seconds * 1e9);
        }
        T input = executions < seeds.size() ? seeds.get((int) executions) : mutator.mutate(corpus, random);
        executions++;
        Outcome outcome = call(worker, target, input);
        if (outcome.accepted()) {
          accepted++;
        }
        if (outcome.hang()) {
          finding = outcome.describe(show.apply(input)); // not shrunk: every try would take the timeout
        } else if (outcome.broken() != null) {
          T smallest = shrink(worker, target, input, outcome.kind());
          Outcome again = call(worker, target, smallest);
          finding = (again.broken() != null ? again : outcome).describe(show.apply(smallest));
        } else if (random.nextInt(16) == 0 && corpus.size() < 256) {
          corpus.add(input); // mutants of mutants reach deeper than mutants of the seeds alone
        }
      }
    } finally {
      worker.shutdownNow();
      report(executions, accepted, finding == null ? 0 : 1, (System.nanoTime() - start) / 1e9, seed);
    }
    if (finding != null) {
      throw new AssertionError("fuzz target " + name + " (seed " + seed + ", -Dminify.fuzz.seed=" + seed
          + " repeats it): " + finding);
    }
  }

  /** What one call did, judged against the promise. */
  private Outcome call(ExecutorService worker, Target<T> target, T input) {
    long allowed = ALLOCATION_ALLOWANCE + (long) ALLOCATION_PER_INPUT_BYTE * sizeOf.apply(input);
    Future<Outcome> result = worker.submit(() -> {
      long before = allocatedBytes();
      Throwable thrown = null;
      try {
        target.run(input);
      } catch (Throwable t) {
        thrown = t;
      }
      long allocated = allocatedBytes() - before;
      boolean rejected = isDocumented(thrown);
      if (thrown != null && !rejected) {
        return Outcome.broken(thrown);
      }
      if (allocated > allowed) {
        return Outcome.broken(new AssertionError("allocated " + allocated + " bytes (bound " + allowed + ")"));
      }
      return rejected ? Outcome.REJECTED : Outcome.ACCEPTED;
    });
    try {
      return result.get(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      return new Outcome(new AssertionError("no answer within " + CALL_TIMEOUT_MILLIS + " ms"), true, false);
    } catch (ExecutionException e) {
      return Outcome.broken(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fuzzing " + name, e);
    }
  }

  private boolean isDocumented(Throwable thrown) {
    return thrown != null && documented.stream().anyMatch(c -> c.isInstance(thrown));
  }

  /** Greedy: keeps any smaller variant that fails the same way, until none does. */
  private T shrink(ExecutorService worker, Target<T> target, T failing, String kind) {
    T smallest = failing;
    int calls = 0;
    boolean progress = true;
    while (progress && calls < MAX_SHRINK_CALLS) {
      progress = false;
      for (T candidate : mutator.smaller(smallest)) {
        if (++calls > MAX_SHRINK_CALLS) {
          break;
        }
        Outcome o = call(worker, target, candidate);
        if (o.broken() != null && !o.hang() && o.kind().equals(kind)) {
          smallest = candidate;
          progress = true;
          break;
        }
      }
    }
    return smallest;
  }

  private void report(long executions, long accepted, int findings, double seconds, long seed) {
    String file = System.getProperty("minify.fuzz.report");
    if (file == null) {
      return;
    }
    String line = String.format(Locale.ROOT, "%s\t%d\t%d\t%d\t%.1f\t%d%n", name, executions, accepted, findings,
        seconds, seed);
    try {
      Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot append to the fuzz report " + file, e);
    }
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** The input as a Java string literal, so a finding can be pasted into a regression test. */
  static String javaLiteral(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * What one call did: {@code broken} is what broke the promise (null when it was kept),
   * {@code hang} whether the call never returned, {@code accepted} whether it returned
   * normally rather than with the documented exception.
   */
  private record Outcome(Throwable broken, boolean hang, boolean accepted) {
    static final Outcome ACCEPTED = new Outcome(null, false, true);
    static final Outcome REJECTED = new Outcome(null, false, false);

    static Outcome broken(Throwable thrown) {
      return new Outcome(thrown, false, false);
    }

    /** Same kind: same exception class thrown from the same place, for shrinking. */
    String kind() {
      StackTraceElement[] trace = broken.getStackTrace();
      return broken.getClass().getName() + (trace.length > 0 ? "@" + trace[0] : "");
    }

    String describe(String input) {
      java.io.StringWriter trace = new java.io.StringWriter();
      broken.printStackTrace(new java.io.PrintWriter(trace));
      return (hang ? "hang" : "undocumented outcome") + " on input " + input + "\n" + trace;
    }
  }
}
