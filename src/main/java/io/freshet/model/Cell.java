package io.freshet.model;

/**
 * One served value with its meta. A MISSING cell has no event time, age or tier; a nullified ROTTEN
 * cell keeps its real meta with a null value.
 */
public record Cell(Object value, long eventMicros, long ageMicros, Status status, String tier) {

  public static final Cell MISSING = new Cell(null, 0, 0, Status.MISSING, null);

  public boolean isMissing() {
    return status == Status.MISSING;
  }
}
