package io.minify.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one-line words for each limit a request can run into: what the user's error line quotes. */
class LimitReachedTest {

  private static final long CAP = HttpProber.MAX_BODY_BYTES;

  @Test
  void eachLimitSaysHowFarTheAnswerCame() {
    assertEquals("no response headers within 5 s", LimitReached.noHeaders(Duration.ofSeconds(5), CAP).describe());
    assertEquals("status 200 and 4096 bytes of body, still streaming after 30 s",
        LimitReached.bodyUnfinished(200, 4096, Duration.ofSeconds(30), CAP).describe());
    assertEquals("status 206 but no byte of body within 2 s",
        LimitReached.bodyUnfinished(206, 0, Duration.ofSeconds(2), CAP).describe());
    assertEquals("status 200 and the body passed 1024 MiB, the most a probe reads",
        LimitReached.bodyTooBig(200, CAP + 65536, Duration.ofSeconds(30), CAP).describe());
  }

  @Test
  void secondsAndSizesAreWrittenAsGiven() {
    assertEquals("2 s", LimitReached.seconds(Duration.ofSeconds(2)));
    assertEquals("0.3 s", LimitReached.seconds(Duration.ofMillis(300)));
    assertEquals("1.25 s", LimitReached.seconds(Duration.ofMillis(1250)));
    assertEquals("2 MiB", LimitReached.mebibytes(2 << 20));
    assertEquals("1000 bytes", LimitReached.mebibytes(1000));
  }
}
