package io.minify.run;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A handler for one signal while it is installed: SIGUSR1 while {@code --continue-after
 * signal} waits, SIGINT and SIGTERM while a build runs (a shutdown hook cannot tell them
 * apart, and a build's report and exit code must). Java has no public API for signals;
 * {@code sun.misc.Signal} (module jdk.unsupported, kept on purpose for this use) is reached
 * by reflection, so the build's no-warnings gate holds without a blanket exception. Closing
 * restores the handler that was there before.
 */
public final class SignalTrap implements AutoCloseable {
  private static final String SIGNAL = "sun.misc.Signal";
  private static final String HANDLER = "sun.misc.SignalHandler";

  private final String name;
  private final Object signal;
  private final Object previous;
  private final Method handle;

  private SignalTrap(String name, Object signal, Object previous, Method handle) {
    this.name = name;
    this.signal = signal;
    this.previous = previous;
    this.handle = handle;
  }

  /**
   * Runs {@code action} (on a thread of the JVM's) each time signal {@code name} ("USR1",
   * "TERM") arrives, instead of what the JVM did on it.
   *
   * @throws IllegalStateException when this JVM cannot handle it (no jdk.unsupported, -Xrs)
   */
  public static SignalTrap on(String name, Runnable action) {
    try {
      Class<?> signalClass = Class.forName(SIGNAL);
      Class<?> handlerClass = Class.forName(HANDLER);
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      InvocationHandler calls = (proxy, method, args) -> {
        if (method.getName().equals("handle")) {
          action.run();
          return null;
        }
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "minify SIG" + name + " handler";
        };
      };
      Object handler = Proxy.newProxyInstance(SignalTrap.class.getClassLoader(), new Class<?>[] {handlerClass},
          calls);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      return new SignalTrap(name, signal, handle.invoke(null, signal, handler), handle);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot handle SIG" + name + ": " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this JVM has no " + SIGNAL + " (module jdk.unsupported)", e);
    }
  }

  @Override
  public void close() {
    try {
      handle.invoke(null, signal, previous);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot restore the SIG" + name + " handler", e);
    }
  }
}
