package io.minify.sensor.fanotify;

import java.io.IOException;
import java.nio.file.Path;

/** Run in a child JVM without CAP_SYS_ADMIN by {@link FanotifyMonitorIT}: prints the error. */
public final class WatchRootMain {
  private WatchRootMain() {}

  public static void main(String[] args) {
    try {
      FanotifyMonitor.watch(Path.of("/")).close();
      System.out.println("watching worked");
    } catch (IOException e) {
      System.out.println(e.getMessage());
    }
  }
}
