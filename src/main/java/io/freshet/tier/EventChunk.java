package io.freshet.tier;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * Consecutive events of one event view (see {@link ScannedChunk}), each with its position in its
 * ingest batch, which orders events of one instant and one batch.
 */
public final class EventChunk extends ScannedChunk {

  private int[] sequences;

  /** The arrays are aligned, one element per event, and become the chunk's own. */
  public EventChunk(
      int[] entities, long[] events, long[] ingested, int[] sequences, String[] values) {
    super(entities, events, ingested, values);
    this.sequences = sequences;
  }

  private EventChunk(RowSet<Row> rows) {
    super(rows);
  }

  static EventChunk of(RowSet<Row> rows) {
    return new EventChunk(rows);
  }

  public int sequence(int i) {
    return sequences[i];
  }

  @Override
  int extraColumns() {
    return 1;
  }

  @Override
  void sized(int size) {
    sequences = new int[size];
  }

  @Override
  void extra(int i, Row row) {
    sequences[i] = row.getInteger(3);
  }
}
