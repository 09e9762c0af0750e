package io.freshet.aggregation;

/**
 * One aggregation over a window that moves forward through an entity's events: events enter and
 * leave in any order, and the value is always that of the events inside, to the bit what a {@link
 * Partial} of the same events gives (same state, same rounding). A historical snapshot slides one
 * of these along each entity's events once, instead of summing each row's window again.
 */
public interface Sliding {

  /** An event enters the window; arguments as {@link Partial#add}. */
  void add(Object value, long eventMicros, long ingestedMicros, int sequence);

  /** An event that entered leaves it, with the same arguments it entered with. */
  void remove(Object value, long eventMicros, long ingestedMicros, int sequence);

  /** The value over the events inside; as {@link Partial#value()}. */
  Object value();

  /** Empties the window, for the next entity. */
  void clear();
}
