package io.freshet.served;

import io.freshet.model.Cell;
import io.freshet.selection.FeatureSelection;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Recomputes served rows by the point-in-time engine: each row as of the instant it was served,
 * with only the records ingested by then, policed as serving polices.
 */
public interface Replayer {

  /** One row to replay: its entity keys by join key, and the instant it was served. */
  record Replay(Map<String, Object> entity, long atMicros) {}

  /** The cells of each row, aligned with the selection's columns, rows in the order given. */
  Future<List<Cell[]>> replay(FeatureSelection selection, List<Replay> rows);
}
