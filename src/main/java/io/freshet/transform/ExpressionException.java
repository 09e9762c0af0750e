package io.freshet.transform;

/** An expression that does not compile, or one evaluation of it that failed. */
public final class ExpressionException extends Exception {

  public ExpressionException(String message) {
    this(message, null);
  }

  /**
   * Evaluation failures can repeat for every row of a request, so they carry no stack trace: the
   * message names the expression and the cause, which is all a caller can act on.
   */
  public ExpressionException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
