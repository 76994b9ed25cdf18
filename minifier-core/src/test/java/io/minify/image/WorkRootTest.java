package io.minify.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where work directories go without --work-dir (issue 16, case 10: TMPDIR was ignored). */
class WorkRootTest {

  @Test
  void tmpdirWinsOverTheJvmsTempDirectory() {
    assertEquals(Path.of("/scratch/ci"), WorkFiles.defaultRoot("/scratch/ci", "/tmp"));
  }

  @Test
  void withoutTmpdirTheJvmsTempDirectory() {
    assertEquals(Path.of("/tmp"), WorkFiles.defaultRoot(null, "/tmp"));
    assertEquals(Path.of("/tmp"), WorkFiles.defaultRoot("", "/tmp"));
  }

  @Test
  void aRelativeTmpdirIsTakenFromTheCurrentDirectory() {
    assertEquals(Path.of("scratch").toAbsolutePath(), WorkFiles.defaultRoot("scratch", "/tmp"));
  }
}
