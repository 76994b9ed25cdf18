package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.minify.engine.ContainerEngine;
import io.minify.engine.ContainerRuntime;
import io.minify.engine.EngineException;
import io.minify.engine.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The connection begun before parsing: taken once, its failure shown only to who asks. */
class EarlyConnectionTest {

  private record NamedEngine(String name) implements ContainerEngine {
    @Override
    public String version() {
      return name;
    }

    @Override
    public ImageStore images() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ContainerRuntime containers() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  @Test
  void theFirstCallerTakesTheEarlyConnectionAndLaterOnesConnectAnew() throws InterruptedException {
    List<String> threads = new ArrayList<>();
    CountDownLatch connected = new CountDownLatch(1);
    Supplier<ContainerEngine> connect = () -> {
      synchronized (threads) {
        threads.add(Thread.currentThread().getName());
      }
      connected.countDown();
      return new NamedEngine("engine " + threads.size());
    };
    EarlyConnection early = EarlyConnection.begin(connect);
    assertEquals(true, connected.await(10, TimeUnit.SECONDS)); // it connects before anyone asks
    assertEquals("engine 1", early.get().version());
    assertEquals("engine 2", early.get().version());
    assertEquals(List.of("minify-engine-connect", Thread.currentThread().getName()), threads);
  }

  @Test
  void aFailedEarlyConnectionIsThrownToTheFirstCallerOnly() {
    EngineException refused = new EngineException("no Docker engine answers");
    int[] attempts = {0};
    EarlyConnection early = EarlyConnection.begin(() -> {
      if (attempts[0]++ == 0) {
        throw refused;
      }
      return new NamedEngine("second");
    });
    assertSame(refused, assertThrows(EngineException.class, early::get));
    assertEquals("second", early.get().version());
  }
}
