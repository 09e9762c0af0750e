package io.freshet.pit;

import io.freshet.encoding.NumberFormat;
import io.freshet.encoding.OutputFormat;
import io.freshet.encoding.SnapshotLayout;
import io.freshet.encoding.TimestampPrecision;
import io.freshet.model.Cell;
import io.freshet.registry.EntityDef;
import io.freshet.registry.FeatureView;
import io.freshet.selection.FeatureSelection;
import io.freshet.served.Replayer;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Served rows replayed as a serving-faithful snapshot: each row a label row at the instant it was
 * served, seeing only what was ingested by then ({@code as_known: row}), each view's {@code
 * on_rotten} applied at that instant, by the same join, classifier and transformation engine as
 * every snapshot.
 */
public final class PointInTimeReplayer implements Replayer {

  private final PointInTimeEngine engine;

  public PointInTimeReplayer(PointInTimeEngine engine) {
    this.engine = engine;
  }

  @Override
  public Future<List<Cell[]>> replay(FeatureSelection selection, List<Replay> rows) {
    List<EntityDef> joinKeys = new ArrayList<>();
    for (FeatureView view : selection.views()) {
      if (!joinKeys.contains(view.entity())) {
        joinKeys.add(view.entity());
      }
    }
    List<String> keyNames = new ArrayList<>();
    joinKeys.forEach(k -> keyNames.add(k.joinKey()));
    LabelTable labels = new LabelTable(joinKeys.size());
    long cutoff = Long.MIN_VALUE;
    for (Replay row : rows) {
      Object[] keys = new Object[joinKeys.size()];
      for (int k = 0; k < keys.length; k++) {
        keys[k] = row.entity().get(keyNames.get(k));
      }
      labels.add(keys, row.atMicros());
      cutoff = Math.max(cutoff, row.atMicros());
    }
    SnapshotLayout layout =
        new SnapshotLayout(
            keyNames,
            List.of(),
            selection.columns(),
            OutputFormat.JSONL,
            NumberFormat.SHORTEST,
            TimestampPrecision.STORED,
            false,
            true);
    SnapshotRequest request =
        new SnapshotRequest(null, selection, joinKeys, layout, cutoff, AsKnown.ROW, true);
    return engine
        .join(request, labels, () -> false)
        .compose(join -> engine.workers().run(() -> cells(join, rows.size())));
  }

  private static List<Cell[]> cells(SnapshotJoin join, int rows) {
    List<Cell[]> out = new ArrayList<>(rows);
    for (int row = 0; row < rows; row++) {
      out.add(join.cells(row));
    }
    return out;
  }
}
