package io.minify.run;

import io.minify.sensor.AccessLog;
import java.io.IOException;

/**
 * A watch over a running container's files, wherever the monitor runs: in this process
 * ({@link SensorPlacement#HOST}) or in the engine ({@link SidecarSensor}).
 */
interface Watch extends AutoCloseable {

  /** Ends the watch; what the kernel queued until now is drained and returned. */
  AccessLog stop() throws IOException;

  /** Whether the watched process catches the stop signal; true when in doubt. */
  boolean catchesSignal(String stopSignal);

  @Override
  void close();
}
