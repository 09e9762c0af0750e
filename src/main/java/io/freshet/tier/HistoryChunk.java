package io.freshet.tier;

import io.freshet.model.Timestamps;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * Consecutive records of one view's history, by column: for each, the position of its entity key in
 * the scan's key array, its event and ingestion times and its stored values as JSON text (decoded
 * only if a label row ends up using it).
 */
public final class HistoryChunk {

  private final int[] entities;
  private final long[] events;
  private final long[] ingested;
  private final String[] values;

  /** The arrays are aligned, one element per record, and become the chunk's own. */
  public HistoryChunk(int[] entities, long[] events, long[] ingested, String[] values) {
    this.entities = entities;
    this.events = events;
    this.ingested = ingested;
    this.values = values;
  }

  static HistoryChunk of(RowSet<Row> rows) {
    int size = rows.size();
    HistoryChunk chunk =
        new HistoryChunk(new int[size], new long[size], new long[size], new String[size]);
    int i = 0;
    for (Row row : rows) {
      chunk.entities[i] = (int) (row.getLong(0) - 1);
      chunk.events[i] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(1));
      chunk.ingested[i] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(2));
      chunk.values[i] = row.getString(3);
      i++;
    }
    return chunk;
  }

  public int size() {
    return entities.length;
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
