package io.freshet.pit;

import io.freshet.ApiException;
import io.freshet.registry.FeatureView;
import io.freshet.store.Cell;
import io.freshet.store.Cells;
import io.freshet.store.Column;
import io.freshet.store.FeatureRecord;
import io.freshet.store.FeatureSelection;
import io.freshet.tier.ColdTier;
import io.freshet.tier.TierUnavailableException;
import io.freshet.transform.TransformEngine;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Point-in-time values for a batch of label rows: one set-based as-of query per view, then the same
 * cell rule and the same transformation engine as online reads, at each row's own time.
 */
public final class PointInTimeEngine {

  private static final String TIER = "cold";

  private final ColdTier cold;
  private final TransformEngine transforms;

  public PointInTimeEngine(ColdTier cold, TransformEngine transforms) {
    this.cold = cold;
    this.transforms = transforms;
  }

  /** Cells per row, aligned with the request's columns. */
  public Future<List<Cell[]>> cells(SnapshotRequest request, List<LabelRow> rows) {
    List<FeatureView> views = request.selection().views();
    long[] times = new long[rows.size()];
    for (int i = 0; i < times.length; i++) {
      times[i] = rows.get(i).atMicros();
    }
    List<Future<List<FeatureRecord>>> perView = new ArrayList<>(views.size());
    for (FeatureView view : views) {
      int keyIndex = keyIndex(request, view);
      List<String> keys = new ArrayList<>(rows.size());
      rows.forEach(r -> keys.add(r.keys()[keyIndex].toString()));
      perView.add(unavailableAs503(cold.asOf(view.name(), keys, times, request.cutoffMicros())));
    }
    return Future.all(perView).map(done -> assemble(request, rows, perView));
  }

  private static int keyIndex(SnapshotRequest request, FeatureView view) {
    for (int k = 0; k < request.joinKeys().size(); k++) {
      if (request.joinKeys().get(k).joinKey().equals(view.entity().joinKey())) {
        return k;
      }
    }
    throw new IllegalStateException("no join key for view " + view.name());
  }

  private List<Cell[]> assemble(
      SnapshotRequest request, List<LabelRow> rows, List<Future<List<FeatureRecord>>> perView) {
    FeatureSelection selection = request.selection();
    List<Column.Raw> raws = selection.raws();
    List<Cell[]> out = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      long at = rows.get(r).atMicros();
      Cell[] rawCells = new Cell[raws.size()];
      for (int s = 0; s < rawCells.length; s++) {
        FeatureRecord record = perView.get(selection.rawView(s)).result().get(r);
        rawCells[s] = Cells.of(raws.get(s), record, TIER, at);
      }
      out.add(transforms.row(selection, rawCells));
    }
    return out;
  }

  /** The as-of record of one view for one entity, ttl applied; null when there is none. */
  public Future<FeatureRecord> single(FeatureView view, String key, long atMicros, long cutoff) {
    return unavailableAs503(cold.asOf(view.name(), List.of(key), new long[] {atMicros}, cutoff))
        .map(
            records -> {
              FeatureRecord record = records.get(0);
              boolean beyondTtl =
                  record != null
                      && io.freshet.freshness.FreshnessClassifier.beyondTtl(
                          view, atMicros - record.eventMicros());
              return beyondTtl ? null : record;
            });
  }

  private static <T> Future<T> unavailableAs503(Future<T> query) {
    return query.recover(
        e ->
            Future.failedFuture(
                e instanceof TierUnavailableException
                    ? ApiException.unavailable("cold tier (Postgres) is unavailable")
                    : e));
  }
}
