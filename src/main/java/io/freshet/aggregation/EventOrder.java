package io.freshet.aggregation;

/**
 * The order of one entity's events for {@code last}: by event time, then by when each was ingested,
 * then by position in its ingest batch. Two events of one entity never share all three.
 */
final class EventOrder {

  private EventOrder() {}

  static int compare(
      long eventA, long ingestedA, int sequenceA, long eventB, long ingestedB, int sequenceB) {
    int order = Long.compare(eventA, eventB);
    if (order != 0) {
      return order;
    }
    order = Long.compare(ingestedA, ingestedB);
    return order != 0 ? order : Integer.compare(sequenceA, sequenceB);
  }
}
