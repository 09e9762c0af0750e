package io.freshet.model;

import java.util.Objects;

/**
 * One served value with its meta. A MISSING cell has no value, event time, age or tier; a nullified
 * ROTTEN cell keeps its real meta with a null value. Cells of one record share one {@link
 * CellMeta}.
 */
public final class Cell {

  public static final Cell MISSING = new Cell(null, CellMeta.MISSING);

  private final Object value;
  private final CellMeta meta;

  public Cell(Object value, CellMeta meta) {
    this.value = value;
    this.meta = meta;
  }

  public Cell(Object value, long eventMicros, long ageMicros, Status status, String tier) {
    this(value, new CellMeta(eventMicros, ageMicros, status, tier));
  }

  public Object value() {
    return value;
  }

  public CellMeta meta() {
    return meta;
  }

  public long eventMicros() {
    return meta.eventMicros();
  }

  public long ageMicros() {
    return meta.ageMicros();
  }

  public Status status() {
    return meta.status();
  }

  public String tier() {
    return meta.tier();
  }

  public boolean isMissing() {
    return meta.isMissing();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cell
        && Objects.equals(value, ((Cell) other).value)
        && meta.equals(((Cell) other).meta);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, meta);
  }

  @Override
  public String toString() {
    return "Cell[value=" + value + ", " + meta + "]";
  }
}
