package io.freshet.read;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshet.freshness.FreshnessPolicy;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.ApiException;
import io.freshet.model.Cell;
import io.freshet.model.TierKey;
import io.freshet.model.Timestamps;
import io.freshet.registry.FeatureView;
import io.freshet.selection.Column;
import io.freshet.selection.FeatureSelection;
import io.freshet.tier.Tiers;
import io.freshet.transform.TransformEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The online read: one tier lookup for every (view, entity) the request needs, then a status for
 * every value from its event time and the injected clock, then each view's {@code on_rotten}
 * policy, then transformations over the policed inputs.
 */
public final class OnlineReads {

  private final TierCascade tiers;
  private final Clock clock;
  private final FreshetMetrics metrics;
  private final TransformEngine transforms;

  /**
   * What a response writes for a selection alone, encoded once per selection; selections are held
   * by the selection cache, and an entry goes with its selection.
   */
  private final Cache<FeatureSelection, SelectionJson> encoded =
      Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

  public OnlineReads(Tiers tiers, Clock clock, FreshetMetrics metrics) {
    this.tiers = new TierCascade(tiers, metrics);
    this.clock = clock;
    this.metrics = metrics;
    this.transforms = new TransformEngine(metrics);
  }

  public Future<OnlineResult> read(FeatureSelection selection, EntityRows entities) {
    for (FeatureView view : selection.views()) {
      String joinKey = view.entity().joinKey();
      if (!entities.byJoinKey().containsKey(joinKey)) {
        throw ApiException.badRequest(
            "entities lack join key '"
                + joinKey
                + "' needed by feature view '"
                + view.name()
                + "'");
      }
    }
    Map<TierKey, Integer> distinct = new LinkedHashMap<>();
    int views = selection.views().size();
    int[][] slot = new int[entities.size()][views];
    for (int row = 0; row < entities.size(); row++) {
      for (int v = 0; v < views; v++) {
        FeatureView view = selection.views().get(v);
        TierKey key = new TierKey(view.name(), entities.keyString(view.entity().joinKey(), row));
        Integer index = distinct.putIfAbsent(key, distinct.size());
        slot[row][v] = index == null ? distinct.size() - 1 : index;
      }
    }
    return tiers
        .latest(new ArrayList<>(distinct.keySet()))
        .map(lookup -> assemble(selection, entities, slot, lookup));
  }

  private OnlineResult assemble(
      FeatureSelection selection, EntityRows entities, int[][] slot, TierLookup lookup) {
    long now = Timestamps.nowMicros(clock);
    List<Column.Raw> raws = selection.raws();
    List<Cell[]> rows = new ArrayList<>(entities.size());
    JsonArray violations = new JsonArray();
    List<FeatureView> views = selection.views();
    FreshetMetrics.ViewReads[] meters = new FreshetMetrics.ViewReads[views.size()];
    for (int v = 0; v < meters.length; v++) {
      meters[v] = metrics.viewReads(views.get(v).name());
    }
    for (int row = 0; row < entities.size(); row++) {
      Cell[] rawCells = new Cell[raws.size()];
      for (int r = 0; r < rawCells.length; r++) {
        Column.Raw column = raws.get(r);
        int view = selection.rawView(r);
        int index = slot[row][view];
        Cell cell =
            FreshnessPolicy.cell(
                column.view(), column.feature(), lookup.record(index), lookup.tier(index), now);
        meters[view].served(cell.status(), cell.ageMicros());
        if (FreshnessPolicy.rejects(column.view(), cell)) {
          metrics.slaRejection(column.view().name());
          violations.add(violation(column, entities, row, cell));
        }
        rawCells[r] = cell;
      }
      rows.add(transforms.row(selection, rawCells));
    }
    if (!violations.isEmpty()) {
      throw ApiException.freshnessViolated(
          violations.size() + " requested values are older than their view's stale threshold",
          violations);
    }
    return new OnlineResult(selection, encoded.get(selection, SelectionJson::new), entities, rows);
  }

  private static JsonObject violation(Column.Raw column, EntityRows entities, int row, Cell cell) {
    String joinKey = column.view().entity().joinKey();
    return new JsonObject()
        .put("entity", new JsonObject().put(joinKey, entities.value(joinKey, row)))
        .put("feature", column.name())
        .put("age_ms", cell.ageMicros() / 1000);
  }
}
