package io.freshet.model;

/**
 * What every value of one record shares when served at one instant: the record's event time, its
 * age then, its status and the tier it came from. A read makes one per record it serves, not one
 * per value. A MISSING meta has no event time, age or tier.
 */
public record CellMeta(long eventMicros, long ageMicros, Status status, String tier) {

  public static final CellMeta MISSING = new CellMeta(0, 0, Status.MISSING, null);

  public boolean isMissing() {
    return status == Status.MISSING;
  }
}
