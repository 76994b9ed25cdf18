package io.minify.select;

/** A keep rule that cannot be applied to this image (a missing include path or program). */
public final class KeepRuleException extends Exception {

  public KeepRuleException(String message) {
    super(message);
  }
}
