package io.minify.engine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine's words for a save it cannot do, as measured with hand-made images. */
class SaveRefusalTest {
  private static final List<Path> LAYERS = List.of(Path.of("/var/lib/docker/overlay2/80ba79cc/diff"),
      Path.of("/var/lib/docker/overlay2/5d1e0f2a/diff"));

  @Test
  void anEntryThatLeadsNowhereIsNamedAsItIsInItsLayer() {
    assertEquals(Optional.of("../../evil"), SaveRefusal.entryOutsideTheImage(
        "open /var/lib/docker/overlay2/evil: no such file or directory", LAYERS));
    assertEquals(Optional.of("../../../../../../tmp/x/y"), SaveRefusal.entryOutsideTheImage(
        "open /tmp/x/y: no such file or directory", LAYERS));
  }

  @Test
  void anEntryThatLeadsToAHostFileIsNamedByTheEngine() {
    assertEquals(Optional.of("../../../../../../etc/hostname"), SaveRefusal.entryOutsideTheImage(
        "file integrity checksum failed for \"../../../../../../etc/hostname\"", LAYERS));
    assertEquals(Optional.of("../../../../etc/hostname"), SaveRefusal.entryOutsideTheImage(
        "file integrity checksum failed for \"../../../../etc/hostname\"", List.of()));
  }

  @Test
  void whatTheImageIsNotToBlameForIsNotNamed() {
    // a missing file inside a layer: the engine's storage lost it
    assertEquals(Optional.empty(), SaveRefusal.entryOutsideTheImage(
        "open /var/lib/docker/overlay2/80ba79cc/diff/etc/passwd: no such file or directory", LAYERS));
    // a changed file of the image's own: its bytes were altered in the engine's storage
    assertEquals(Optional.empty(), SaveRefusal.entryOutsideTheImage(
        "file integrity checksum failed for \"etc/passwd\"", LAYERS));
    // another driver: nothing to tell the image's directories from the host's
    assertEquals(Optional.empty(), SaveRefusal.entryOutsideTheImage(
        "open /var/lib/docker/overlay2/evil: no such file or directory", List.of()));
    assertEquals(Optional.empty(), SaveRefusal.entryOutsideTheImage("no space left on device", LAYERS));
    assertEquals(Optional.empty(), SaveRefusal.entryOutsideTheImage(
        "open relative/path: no such file or directory", LAYERS));
  }
}
