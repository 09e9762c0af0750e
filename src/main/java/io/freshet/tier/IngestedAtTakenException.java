package io.freshet.tier;

/**
 * Another instance committed a record of the same entity and event time with the same {@code
 * ingested_at} microsecond. Newest-wins needs a strict order, so the batch wrote nothing and is
 * retried with a later {@code ingested_at}.
 */
public final class IngestedAtTakenException extends RuntimeException {

  public IngestedAtTakenException(Throwable cause) {
    super("ingested_at already taken for an entity and event time", cause, false, false);
  }
}
