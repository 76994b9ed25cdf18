package io.minify.run;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A handler for SIGUSR1 while {@code --continue-after signal} waits. Java has no public API
 * for signals; {@code sun.misc.Signal} (module jdk.unsupported, kept on purpose for this use)
 * is reached by reflection, so the build's no-warnings gate holds without a blanket
 * exception. Closing restores the handler that was there before.
 */
final class UserSignal implements AutoCloseable {
  private static final String SIGNAL = "sun.misc.Signal";
  private static final String HANDLER = "sun.misc.SignalHandler";

  private final Object signal;
  private final Object previous;
  private final Method handle;

  private UserSignal(Object signal, Object previous, Method handle) {
    this.signal = signal;
    this.previous = previous;
    this.handle = handle;
  }

  /** Runs {@code action} (on the JVM's signal thread) each time SIGUSR1 arrives. */
  static UserSignal onUsr1(Runnable action) {
    try {
      Class<?> signalClass = Class.forName(SIGNAL);
      Class<?> handlerClass = Class.forName(HANDLER);
      Object signal = signalClass.getConstructor(String.class).newInstance("USR1");
      InvocationHandler calls = (proxy, method, args) -> {
        if (method.getName().equals("handle")) {
          action.run();
          return null;
        }
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "minify SIGUSR1 handler";
        };
      };
      Object handler = Proxy.newProxyInstance(UserSignal.class.getClassLoader(), new Class<?>[] {handlerClass},
          calls);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      return new UserSignal(signal, handle.invoke(null, signal, handler), handle);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot handle SIGUSR1: " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this JVM has no " + SIGNAL + " (module jdk.unsupported)", e);
    }
  }

  @Override
  public void close() {
    try {
      handle.invoke(null, signal, previous);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot restore the SIGUSR1 handler", e);
    }
  }
}
