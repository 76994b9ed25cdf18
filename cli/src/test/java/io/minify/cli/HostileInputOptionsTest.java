package io.minify.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input a hostile or unlucky user gives is refused before anything starts: exit 2, one
 * line naming the bad part. No engine is needed to tell.
 */
class HostileInputOptionsTest {

  @TempDir
  Path dir;

  @Test
  void aLineBreakInAProbeFilesHeaderValueIsRefusedNotAnInternalError() throws Exception {
    Path probes = dir.resolve("probes.json");
    Files.writeString(probes, "{\"probes\": [{\"path\": \"/\", \"headers\": {\"X-A\": \"v\\r\\nX-B: 1\"}}]}",
        StandardCharsets.UTF_8);
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--http-probe-cmd-file", probes.toString()),
        "--http-probe-cmd-file: probe file " + probes + ": probes[0].headers.X-A: the value holds a CR, LF or NUL"
            + " (a header value is one line)");
  }

  @Test
  void aReportPathThatIsADirectoryIsRefusedBeforeTheBuild() {
    CliRun.assertOptionRefused(CliRun.of("build", "app:1", "--report", dir.toString()),
        "--report: " + dir + " is a directory, not a file");
  }

  @Test
  void aMalformedImageReferenceIsBadInput() {
    CliRun.assertOptionRefused(CliRun.of("build", "app/Bad Name:@@"), "IMAGE 'app/Bad Name:@@' is neither an image"
        + " reference ([REGISTRY/]NAME[:TAG][@DIGEST], the name in lower case) nor an image id");
  }

  @Test
  void everyFormOfALocalImageNameIsAccepted() {
    for (String ok : new String[] {"app", "app:1.0", "my-org/app_x:v1.2-rc", "localhost:5000/app:1",
        "registry.example.org/team/app:latest", "docker.io/library/nginx:1.25",
        "app@sha256:" + "a".repeat(64), "app:1@sha256:" + "b".repeat(64), "5665b8f1512e", "sha256:" + "c".repeat(64)}) {
      assertTrue(ImageReference.isImageName(ok), ok);
    }
    for (String bad : new String[] {"app/Bad Name:@@", "App:1", "app:", ":1", "app:1:2", "app@sha256:zz", "/app",
        "app//x", "app:" + "t".repeat(129)}) {
      assertFalse(ImageReference.isImageName(bad), bad);
    }
  }
}
