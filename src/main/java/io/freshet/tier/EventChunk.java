package io.freshet.tier;

import io.freshet.model.Timestamps;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * Consecutive events of one event view, by column: the position of each one's entity in the read's
 * key array, its event and ingestion times, its position in its ingest batch and its stored values
 * as JSON text. Like {@link HistoryChunk}, the rows are converted on the first call of {@link
 * #size}, on the reader's thread.
 */
public final class EventChunk {

  private RowSet<Row> rows;
  private int[] entities;
  private long[] events;
  private long[] ingested;
  private int[] sequences;
  private String[] values;

  private EventChunk(RowSet<Row> rows) {
    this.rows = rows;
  }

  /** The arrays are aligned, one element per event, and become the chunk's own. */
  public EventChunk(
      int[] entities, long[] events, long[] ingested, int[] sequences, String[] values) {
    this.entities = entities;
    this.events = events;
    this.ingested = ingested;
    this.sequences = sequences;
    this.values = values;
  }

  static EventChunk of(RowSet<Row> rows) {
    return new EventChunk(rows);
  }

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
    sequences = new int[size];
    values = new String[size];
    int i = 0;
    for (Row row : rows) {
      entities[i] = (int) (row.getLong(0) - 1);
      events[i] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(1));
      ingested[i] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(2));
      sequences[i] = row.getInteger(3);
      values[i] = row.getString(4);
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

  public int sequence(int i) {
    return sequences[i];
  }

  public String values(int i) {
    return values[i];
  }
}
