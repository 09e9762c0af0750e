package io.freshet.model;

/**
 * What every value of one record shares when served at one instant: the record's event time, its
 * age then, its status and the tier it came from. A read makes one per record it serves, not one
 * per value. A MISSING meta has no event time, age or tier.
 *
 * <p>An aggregation served online also has its window, {@code [windowStart, windowEnd)} ({@link
 * #NO_WINDOW} for anything else).
 */
public record CellMeta(
    long eventMicros,
    long ageMicros,
    Status status,
    String tier,
    long windowStart,
    long windowEnd) {

  public static final long NO_WINDOW = Long.MIN_VALUE;

  public static final CellMeta MISSING = new CellMeta(0, 0, Status.MISSING, null);

  public CellMeta(long eventMicros, long ageMicros, Status status, String tier) {
    this(eventMicros, ageMicros, status, tier, NO_WINDOW, NO_WINDOW);
  }

  /**
   * The event time of an aggregation whose window holds no event: its value (0, or null) is known
   * and has a status, but no event stands behind it. Written as null.
   */
  public static final long NO_EVENT = Long.MIN_VALUE;

  public boolean isMissing() {
    return status == Status.MISSING;
  }

  /** Whether an event time stands behind the value (not MISSING, not an empty window). */
  public boolean hasEvent() {
    return !isMissing() && eventMicros != NO_EVENT;
  }

  public boolean hasWindow() {
    return windowStart != NO_WINDOW;
  }
}
