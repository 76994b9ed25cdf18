package io.minify.cli;

import io.minify.engine.ContainerEngine;
import io.minify.engine.EngineException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The engine connection of a command that will need one, begun on a thread of its own while
 * the main thread builds the command line: making the engine client (its HTTP transport and
 * JSON mapper) and asking the engine its version is a third of a second that would otherwise
 * come after parsing and before the first progress line (scripts/bench.sh start). The first
 * {@link #get()} takes that connection (or its failure, thrown then and not before: a
 * {@code --help} never sees it); later calls connect anew, since the first caller closes
 * what it took.
 */
final class EarlyConnection implements Supplier<ContainerEngine> {

  private final Supplier<ContainerEngine> connect;
  private final AtomicReference<CompletableFuture<ContainerEngine>> pending = new AtomicReference<>();

  private EarlyConnection(Supplier<ContainerEngine> connect) {
    this.connect = connect;
  }

  /** Starts connecting now, on a daemon thread, so an exit never waits for it. */
  static EarlyConnection begin(Supplier<ContainerEngine> connect) {
    EarlyConnection early = new EarlyConnection(connect);
    CompletableFuture<ContainerEngine> future = new CompletableFuture<>();
    early.pending.set(future);
    Thread thread = new Thread(() -> {
      try {
        future.complete(connect.get());
      } catch (RuntimeException | Error e) {
        future.completeExceptionally(e);
      }
    }, "minify-engine-connect");
    thread.setDaemon(true);
    thread.start();
    return early;
  }

  @Override
  public ContainerEngine get() {
    CompletableFuture<ContainerEngine> first = pending.getAndSet(null);
    if (first == null) {
      return connect.get();
    }
    try {
      return first.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      first.thenAccept(ContainerEngine::close); // whenever it arrives, nobody will use it
      throw new EngineException("interrupted while connecting to the engine");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) e.getCause();
    }
  }
}
