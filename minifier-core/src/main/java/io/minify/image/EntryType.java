package io.minify.image;

/** The kind of a filesystem entry in an image layer. */
public enum EntryType {
  FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO
}
