package io.freshet.aggregation;

/**
 * The mergeable state of one aggregation over some events (a tile, a window, a whole history).
 * Merging partials of disjoint sets of events in any order, or adding the events one by one in any
 * order, gives the same state, the same encoding and the same value, to the bit.
 */
public interface Partial {

  /**
   * Counts one event: its value of the field read (null when it has none, and always for {@code
   * count}), its event time, when it was ingested, and its position in its ingest batch (the last
   * tie-break of {@code last}).
   */
  void add(Object value, long eventMicros, long ingestedMicros, int sequence);

  /** Adds the events of another partial of the same aggregation. */
  void merge(Partial other);

  /** The aggregation's value over the events counted, rounded once; null where SCHEMAS.md says. */
  Object value();

  /** The canonical bytes of this state: equal states have equal bytes. */
  byte[] encode();

  Partial copy();
}
