package io.freshet.tier;

import io.freshet.model.Timestamps;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * Consecutive records of one view's history, by column: for each, the position of its entity key in
 * the scan's key array, its event and ingestion times and its stored values as JSON text (decoded
 * only if a label row ends up using it).
 *
 * <p>A chunk read from Postgres keeps the client's rows until it is first asked its {@link #size},
 * which every reader does before anything else: the conversion then runs on the reader's thread (a
 * snapshot worker), not on the event loop that received the rows.
 */
public final class HistoryChunk {

  private RowSet<Row> rows;
  private int[] entities;
  private long[] events;
  private long[] ingested;
  private String[] values;

  /** The arrays are aligned, one element per record, and become the chunk's own. */
  public HistoryChunk(int[] entities, long[] events, long[] ingested, String[] values) {
    this.entities = entities;
    this.events = events;
    this.ingested = ingested;
    this.values = values;
  }

  private HistoryChunk(RowSet<Row> rows) {
    this.rows = rows;
  }

  static HistoryChunk of(RowSet<Row> rows) {
    return new HistoryChunk(rows);
  }

  /** The number of records; the first call converts the rows a chunk was read as. */
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
    int i = 0;
    for (Row row : rows) {
      entities[i] = (int) (row.getLong(0) - 1);
      events[i] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(1));
      ingested[i] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(2));
      values[i] = row.getString(3);
      i++;
    }
    rows = null;
  }

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
