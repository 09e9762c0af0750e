package io.freshet.store;

import io.freshet.ApiException;
import io.freshet.freshness.Status;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.registry.FeatureView;
import io.freshet.registry.OnRotten;
import io.freshet.transform.TransformEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The online read: one tier lookup for every (view, entity) the request needs, then a status for
 * every value from its event time and the injected clock, then each view's {@code on_rotten}
 * policy, then transformations over the policed inputs.
 */
public final class OnlineReads {

  private final TieredStore store;
  private final Clock clock;
  private final FreshetMetrics metrics;
  private final TransformEngine transforms;

  public OnlineReads(TieredStore store, Clock clock, FreshetMetrics metrics) {
    this.store = store;
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
    return store
        .latest(new ArrayList<>(distinct.keySet()))
        .map(lookup -> assemble(selection, entities, slot, lookup));
  }

  private OnlineResult assemble(
      FeatureSelection selection, EntityRows entities, int[][] slot, TierLookup lookup) {
    long now = Timestamps.nowMicros(clock);
    Map<String, Integer> viewIndex = new HashMap<>();
    for (int v = 0; v < selection.views().size(); v++) {
      viewIndex.put(selection.views().get(v).name(), v);
    }
    List<Cell[]> rows = new ArrayList<>(entities.size());
    JsonArray violations = new JsonArray();
    for (int row = 0; row < entities.size(); row++) {
      Map<String, Cell> rawCells = new HashMap<>();
      Cell[] cells = new Cell[selection.columns().size()];
      for (int c = 0; c < cells.length; c++) {
        Column column = selection.columns().get(c);
        if (column instanceof Column.Raw) {
          cells[c] = rawCell((Column.Raw) column, row, slot, viewIndex, lookup, now, rawCells);
        } else {
          Column.Transformed t = (Column.Transformed) column;
          Cell[] inputs = new Cell[t.inputs().size()];
          for (int i = 0; i < inputs.length; i++) {
            inputs[i] = rawCell(t.inputs().get(i), row, slot, viewIndex, lookup, now, rawCells);
          }
          cells[c] = transforms.apply(t, inputs);
        }
      }
      final int r = row;
      rawCells.forEach(
          (name, cell) -> {
            if (cell.status() == Status.ROTTEN && policy(selection, name) == OnRotten.REJECT) {
              metrics.slaRejection(name.substring(0, name.indexOf(':')));
              violations.add(violation(selection, entities, r, name, cell));
            }
          });
      rows.add(cells);
    }
    if (!violations.isEmpty()) {
      throw ApiException.freshnessViolated(
          violations.size() + " requested values are older than their view's stale threshold",
          violations);
    }
    return new OnlineResult(selection.columns(), entities, rows);
  }

  private Cell rawCell(
      Column.Raw column,
      int row,
      int[][] slot,
      Map<String, Integer> viewIndex,
      TierLookup lookup,
      long now,
      Map<String, Cell> rawCells) {
    Cell known = rawCells.get(column.name());
    if (known != null) {
      return known;
    }
    int index = slot[row][viewIndex.get(column.view().name())];
    Cell cell = Cells.of(column, lookup.record(index), lookup.tier(index), now);
    metrics.servedValue(column.view().name(), cell.status(), cell.ageMicros());
    rawCells.put(column.name(), cell);
    return cell;
  }

  private static OnRotten policy(FeatureSelection selection, String fullName) {
    String view = fullName.substring(0, fullName.indexOf(':'));
    for (FeatureView v : selection.views()) {
      if (v.name().equals(view)) {
        return v.freshness().onRotten();
      }
    }
    throw new IllegalStateException("view of " + fullName + " is not selected");
  }

  private static JsonObject violation(
      FeatureSelection selection, EntityRows entities, int row, String feature, Cell cell) {
    String view = feature.substring(0, feature.indexOf(':'));
    String joinKey =
        selection.views().stream()
            .filter(v -> v.name().equals(view))
            .findFirst()
            .orElseThrow()
            .entity()
            .joinKey();
    return new JsonObject()
        .put("entity", new JsonObject().put(joinKey, entities.value(joinKey, row)))
        .put("feature", feature)
        .put("age_ms", cell.ageMicros() / 1000);
  }
}
