package io.minify.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work files are the owner's alone from the moment they exist, new or written over. */
class WorkFilesTest {
  @TempDir
  Path dir;

  @Test
  void aNewFileIsTheOwnersAloneWithWhatWasWritten() throws IOException {
    Path file = dir.resolve("layer.tar");
    try (OutputStream out = WorkFiles.create(file)) {
      out.write(new byte[] {1, 2, 3});
    }
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void anExistingFileIsTruncatedAndMadeTheOwnersAlone() throws IOException {
    Path file = dir.resolve("slim-image.tar");
    Files.write(file, new byte[1000]);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    try (FileChannel out = WorkFiles.createChannel(file)) {
      out.write(ByteBuffer.wrap(new byte[] {7}));
    }
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }
}
