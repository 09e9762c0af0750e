package io.freshet.tier;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/** Consecutive records of one view's history (see {@link ScannedChunk}). */
public final class HistoryChunk extends ScannedChunk {

  /** The arrays are aligned, one element per record, and become the chunk's own. */
  public HistoryChunk(int[] entities, long[] events, long[] ingested, String[] values) {
    super(entities, events, ingested, values);
  }

  private HistoryChunk(RowSet<Row> rows) {
    super(rows);
  }

  static HistoryChunk of(RowSet<Row> rows) {
    return new HistoryChunk(rows);
  }

  @Override
  int extraColumns() {
    return 0;
  }

  @Override
  void sized(int size) {}

  @Override
  void extra(int i, Row row) {}
}
