package io.minify.select;

import io.minify.failure.ClassifiedFault;
import io.minify.failure.FailureKind;

/** A keep rule that cannot be applied to this image (a missing include path or program). */
public final class KeepRuleException extends Exception implements ClassifiedFault {
  private static final long serialVersionUID = 1L;


  public KeepRuleException(String message) {
    super(message);
  }

  @Override
  public FailureKind failureKind() {
    return FailureKind.BAD_INPUT;
  }
}
