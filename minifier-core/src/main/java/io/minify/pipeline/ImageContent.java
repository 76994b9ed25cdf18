package io.minify.pipeline;

import io.minify.image.ImageFilesystem;
import io.minify.image.SavedImage;

/** The saved image (its config bytes, its layers on disk) and the index over its layers. */
record ImageContent(SavedImage saved, ImageFilesystem filesystem) {}
