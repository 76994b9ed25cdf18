package io.minify.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.minify.digest.Digest;
import io.minify.failure.BuildException;
import io.minify.failure.FailureKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slim image id a report file names: a digest, none, or bad input naming what it says instead. */
class WhyKeptTest {
  private static final String ID = "sha256:" + "c".repeat(64);

  @TempDir
  Path dir;

  private WhyKept read(String json) throws Exception {
    return WhyKept.read(Files.writeString(dir.resolve("report.json"), json));
  }

  @Test
  void theReportsSlimImageIdIsADigest() throws Exception {
    WhyKept why = read("{\"slimImageId\":\"" + ID + "\",\"kept\":[{\"path\":\"/a\",\"reason\":\"observed\"}]}");
    assertEquals(Optional.of(Digest.parse(ID)), why.slimImageId());
    assertEquals(Optional.of(new WhyKept.Reason("observed", "")), why.of("/a"));
  }

  @Test
  void aReportWithoutOneNamesNone() throws Exception {
    assertEquals(Optional.empty(), read("{\"kept\":[]}").slimImageId());
  }

  @Test
  void anIdThatIsNoDigestIsBadInput() {
    BuildException e = assertThrows(BuildException.class, () -> read("{\"slimImageId\":\"sha256:b\",\"kept\":[]}"));
    assertEquals(FailureKind.BAD_INPUT, e.kind());
    assertEquals("--report " + dir.resolve("report.json") + ": its slimImageId 'sha256:b' is not sha256:<64 hex digits>",
        e.getMessage());
  }
}
