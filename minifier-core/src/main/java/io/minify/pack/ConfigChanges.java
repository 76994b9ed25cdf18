package io.minify.pack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;

/** Changes to the slim image's config. Empty: the original config, unchanged. */
public record ConfigChanges() {

  public static ConfigChanges none() {
    return new ConfigChanges();
  }

  /** The changes as a mutation of the image config JSON, applied before it is hashed. */
  public UnaryOperator<ObjectNode> asMutation() {
    return UnaryOperator.identity();
  }
}
