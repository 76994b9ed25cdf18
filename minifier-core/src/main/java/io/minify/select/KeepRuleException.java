package io.minify.select;

/** A keep rule that cannot be applied to this image (a missing include path or program). */
public final class KeepRuleException extends Exception {
  private static final long serialVersionUID = 1L;


  public KeepRuleException(String message) {
    super(message);
  }
}
