package io.freshet.model;

/** How usable a served value is, ordered from best to worst. */
public enum Status {
  FRESH,
  STALE,
  ROTTEN,
  MISSING;

  public Status worst(Status other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
