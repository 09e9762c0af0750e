package io.freshet.tier;

import io.freshet.model.Timestamps;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * Consecutive rows of one view's history or events, by column: for each, the position of its entity
 * key in the scan's key array, its event and ingestion times, and its stored values as JSON text
 * (decoded only if a label row ends up using them).
 *
 * <p>A chunk read from Postgres keeps the client's rows until it is first asked its {@link #size},
 * which every reader does before anything else: the conversion then runs on the reader's thread (a
 * snapshot worker), not on the event loop that received the rows. The query's columns are the
 * entity's position, the two times, then what the kind of chunk adds, then the values.
 */
public abstract class ScannedChunk {

  private RowSet<Row> rows;
  private int[] entities;
  private long[] events;
  private long[] ingested;
  private String[] values;

  ScannedChunk(RowSet<Row> rows) {
    this.rows = rows;
  }

  /** The arrays are aligned, one element per row, and become the chunk's own. */
  ScannedChunk(int[] entities, long[] events, long[] ingested, String[] values) {
    this.entities = entities;
    this.events = events;
    this.ingested = ingested;
    this.values = values;
  }

  /** The number of rows; the first call converts the rows a chunk was read as. */
  public int size() {
    if (rows != null) {
      convert();
    }
    return entities.length;
  }

  private void convert() {
    int size = rows.size();
    entities = new int[size];
    events = new long[size];
    ingested = new long[size];
    values = new String[size];
    sized(size);
    int valuesColumn = 3 + extraColumns();
    int i = 0;
    for (Row row : rows) {
      entities[i] = (int) (row.getLong(0) - 1);
      events[i] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(1));
      ingested[i] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(2));
      extra(i, row);
      values[i] = row.getString(valuesColumn);
      i++;
    }
    rows = null;
  }

  /** How many columns of its own the kind of chunk reads, from column 3 on. */
  abstract int extraColumns();

  /** Makes room for {@code size} rows of the kind's own columns. */
  abstract void sized(int size);

  /** Reads row {@code i}'s own columns. */
  abstract void extra(int i, Row row);

  public int entity(int i) {
    return entities[i];
  }

  public long event(int i) {
    return events[i];
  }

  public long ingested(int i) {
    return ingested[i];
  }

  public String values(int i) {
    return values[i];
  }
}
