package io.freshet.model;

/** A tier cannot answer now; callers fall back to another tier or answer 503. */
public final class TierUnavailableException extends RuntimeException {

  public TierUnavailableException(String message) {
    super(message, null, false, false);
  }

  public TierUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
