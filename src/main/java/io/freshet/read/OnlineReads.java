package io.freshet.read;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshet.freshness.FreshnessPolicy;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.metrics.ServedValues;
import io.freshet.model.ApiException;
import io.freshet.model.Cell;
import io.freshet.model.CellMeta;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.freshet.model.Timestamps;
import io.freshet.registry.FeatureView;
import io.freshet.selection.Column;
import io.freshet.selection.FeatureSelection;
import io.freshet.tier.Tiers;
import io.freshet.tier.ViewWatermarks;
import io.freshet.tiles.TileReader;
import io.freshet.tiles.WindowValues;
import io.freshet.transform.TransformEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The online read: one tier lookup for every distinct (view, entity) the request needs, then, once
 * per record found, its status from its event time and the injected clock and each view's {@code
 * on_rotten} policy (every value of a record shares them), then each column's value by its position
 * in the record, and transformations over the policed inputs. Nothing is worked out per value that
 * can be worked out per record, and nothing per request that can be per selection ({@link
 * ReadPlan}).
 */
public final class OnlineReads {

  private final TierCascade tiers;
  private final TileReader windows;
  private final ViewWatermarks watermarks;
  private final Clock clock;
  private final FreshetMetrics metrics;
  private final TransformEngine transforms;

  /**
   * One plan per selection; selections are held by the selection cache, and a plan goes with it.
   */
  private final Cache<FeatureSelection, ReadPlan> plans =
      Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

  /**
   * {@code maxWarmFallbacks}: how many reads at once may go on to Postgres because Redis failed or
   * was too slow for them.
   */
  public OnlineReads(
      Tiers tiers, TileReader windows, Clock clock, FreshetMetrics metrics, int maxWarmFallbacks) {
    this.tiers = new TierCascade(tiers, metrics, maxWarmFallbacks);
    this.windows = windows;
    this.watermarks = tiers.watermarks();
    this.clock = clock;
    this.metrics = metrics;
    this.transforms = new TransformEngine(metrics);
  }

  Future<OnlineResult> read(FeatureSelection selection, EntityRows entities) {
    ReadPlan plan = plans.get(selection, s -> new ReadPlan(s, metrics));
    int views = plan.views.length;
    int rows = entities.size();
    int[] joinKeyOfView = new int[views];
    for (int v = 0; v < views; v++) {
      String joinKey = plan.views[v].entity().joinKey();
      joinKeyOfView[v] = entities.joinKey(joinKey);
      if (joinKeyOfView[v] < 0) {
        throw ApiException.badRequest(
            "entities lack join key '"
                + joinKey
                + "' needed by feature view '"
                + plan.views[v].name()
                + "'");
      }
    }
    long now = Timestamps.nowMicros(clock);
    int[] keyOf = new int[views * rows];
    List<TierKey> keys = new ArrayList<>(views * rows);
    List<Future<List<WindowValues>>> windowReads = new ArrayList<>();
    for (int v = 0; v < views; v++) {
      if (plan.tiles[v] != null) {
        windowReads.add(readWindows(plan, v, entities, joinKeyOfView[v], keyOf, now));
        continue;
      }
      for (int row = 0; row < rows; row++) {
        int first = entities.firstRow(joinKeyOfView[v], row);
        if (first == row) {
          keyOf[v * rows + row] = keys.size();
          keys.add(new TierKey(plan.views[v].name(), entities.text(joinKeyOfView[v], row)));
        } else {
          keyOf[v * rows + row] = keyOf[v * rows + first];
        }
      }
    }
    Future<TierLookup> records =
        keys.isEmpty() ? Future.succeededFuture(new TierLookup(keys)) : tiers.latest(keys);
    return Future.all(windowReads)
        .compose(read -> records)
        .map(
            lookup -> {
              List<List<WindowValues>> found = new ArrayList<>(windowReads.size());
              windowReads.forEach(w -> found.add(w.result()));
              return assemble(plan, entities, keyOf, lookup, found, now);
            });
  }

  /**
   * One event view's aggregations for the request's distinct entities; {@code keyOf} gets, for each
   * row, the position of its entity in the answer (a request naming an entity twice reads it once).
   */
  private Future<List<WindowValues>> readWindows(
      ReadPlan plan, int v, EntityRows entities, int joinKey, int[] keyOf, long now) {
    int rows = entities.size();
    List<String> distinct = new ArrayList<>(rows);
    for (int row = 0; row < rows; row++) {
      int first = entities.firstRow(joinKey, row);
      if (first == row) {
        keyOf[v * rows + row] = distinct.size();
        distinct.add(entities.text(joinKey, row));
      } else {
        keyOf[v * rows + row] = keyOf[v * rows + first];
      }
    }
    return windows
        .read(plan.tiles[v], distinct, now)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof TierUnavailableException
                        ? ApiException.unavailable(
                            "cold tier (Postgres) is unavailable and the aggregations of "
                                + plan.views[v].name()
                                + " need it")
                        : e));
  }

  private OnlineResult assemble(
      ReadPlan plan,
      EntityRows entities,
      int[] keyOf,
      TierLookup lookup,
      List<List<WindowValues>> windowValues,
      long now) {
    int rows = entities.size();
    Served served = new Served(plan.views.length);
    boolean anyRejected = false;
    int windowRead = 0;
    for (int v = 0; v < plan.views.length; v++) {
      FeatureView view = plan.views[v];
      if (plan.tiles[v] != null) {
        anyRejected |= windowed(plan, v, rows, keyOf, windowValues.get(windowRead++), served, now);
        continue;
      }
      CellMeta[] metaOf = served.metas[v] = new CellMeta[lookup.size()];
      Object[][] stored = served.values[v] = new Object[lookup.size()][];
      ServedValues.Tally tally = plan.meters[v].tally();
      for (int row = 0; row < rows; row++) {
        int k = keyOf[v * rows + row];
        if (metaOf[k] == null) {
          FeatureRecord record = lookup.record(k);
          CellMeta meta =
              record == null
                  ? CellMeta.MISSING
                  : FreshnessPolicy.meta(view, record.eventMicros(), lookup.tier(k), now);
          metaOf[k] = meta;
          anyRejected |= FreshnessPolicy.rejects(view, meta);
          if (!meta.isMissing() && !FreshnessPolicy.nullifies(view, meta)) {
            stored[k] = record.values(plan.shapes[v]);
          }
        }
        tally.add(metaOf[k], plan.rawsOfView[v]);
      }
      tally.flush();
    }
    if (anyRejected) {
      throw rejected(plan, entities, keyOf, served);
    }
    Object[][] values = new Object[rows][];
    CellMeta[][] metas = new CellMeta[rows][];
    for (int row = 0; row < rows; row++) {
      values[row] = new Object[plan.width()];
      metas[row] = new CellMeta[plan.width()];
      for (int c = 0; c < plan.width(); c++) {
        int slot = plan.columnSlot[c];
        if (slot >= 0) {
          int k = keyOf[plan.rawView[slot] * rows + row];
          metas[row][c] = served.meta(plan, slot, k);
          values[row][c] = served.value(plan, slot, k);
        }
      }
      if (plan.computed.length > 0) {
        compute(plan, rows, row, keyOf, served, values[row], metas[row]);
      }
    }
    return new OnlineResult(plan, entities, values, metas, now);
  }

  /**
   * The values and metas served per view and distinct entity: a record's meta is shared by its
   * values; an aggregation's is its own (its window and the newest event it counted).
   */
  private static final class Served {
    final CellMeta[][] metas;
    final Object[][][] values;
    final CellMeta[][][] windowMetas;

    Served(int views) {
      metas = new CellMeta[views][];
      values = new Object[views][][];
      windowMetas = new CellMeta[views][][];
    }

    CellMeta meta(ReadPlan plan, int slot, int k) {
      int v = plan.rawView[slot];
      return windowMetas[v] != null ? windowMetas[v][k][plan.rawPosition[slot]] : metas[v][k];
    }

    Object value(ReadPlan plan, int slot, int k) {
      Object[] stored = values[plan.rawView[slot]][k];
      return stored == null ? null : stored[plan.rawPosition[slot]];
    }
  }

  /**
   * An event view's aggregations: each with its window's meta; their age and status are the view's
   * lag, shared by every entity, so the policy is decided once per read.
   */
  private boolean windowed(
      ReadPlan plan,
      int v,
      int rows,
      int[] keyOf,
      List<WindowValues> found,
      Served served,
      long now) {
    FeatureView view = plan.views[v];
    long lastEvent =
        watermarks.of(view.name()).map(w -> w.lastEventMicros()).orElse(CellMeta.NO_EVENT);
    CellMeta[][] metas = served.windowMetas[v] = new CellMeta[found.size()][];
    Object[][] values = served.values[v] = new Object[found.size()][];
    boolean rejects = false;
    for (int k = 0; k < found.size(); k++) {
      WindowValues windows = found.get(k);
      metas[k] = new CellMeta[plan.tiles[v].size()];
      for (int a = 0; a < metas[k].length; a++) {
        metas[k][a] =
            FreshnessPolicy.windowMeta(
                view,
                windows.newest()[a],
                lastEvent,
                windows.tier(),
                now,
                now - plan.tiles[v].window(a),
                now);
      }
      CellMeta shared = metas[k].length == 0 ? CellMeta.MISSING : metas[k][0];
      rejects |= FreshnessPolicy.rejects(view, shared);
      if (!shared.isMissing() && !FreshnessPolicy.nullifies(view, shared)) {
        values[k] = windows.values();
      }
    }
    ServedValues.Tally tally = plan.meters[v].tally();
    for (int row = 0; row < rows; row++) {
      CellMeta[] rowMetas = metas[keyOf[v * rows + row]];
      tally.add(rowMetas.length == 0 ? CellMeta.MISSING : rowMetas[0], plan.rawsOfView[v]);
    }
    tally.flush();
    return rejects;
  }

  /**
   * The row's transformed columns, by the one engine snapshots use too; it is given cells for the
   * raw slots the transformations read and no others.
   */
  private void compute(
      ReadPlan plan,
      int rows,
      int row,
      int[] keyOf,
      Served served,
      Object[] values,
      CellMeta[] metas) {
    Cell[] raw = new Cell[plan.rawView.length];
    for (int c : plan.computed) {
      for (int slot : plan.selection.slots(c)) {
        if (raw[slot] == null) {
          int k = keyOf[plan.rawView[slot] * rows + row];
          raw[slot] = new Cell(served.value(plan, slot, k), served.meta(plan, slot, k));
        }
      }
      Cell cell = transforms.column(plan.selection, c, raw);
      values[c] = cell.value();
      metas[c] = cell.meta();
    }
  }

  /** 409 naming every stored value a rejecting view would have served ROTTEN, row by row. */
  private ApiException rejected(ReadPlan plan, EntityRows entities, int[] keyOf, Served served) {
    List<Column.Raw> raws = plan.selection.raws();
    JsonArray violations = new JsonArray();
    for (int row = 0; row < entities.size(); row++) {
      for (int slot = 0; slot < raws.size(); slot++) {
        FeatureView view = plan.views[plan.rawView[slot]];
        CellMeta meta = served.meta(plan, slot, keyOf[plan.rawView[slot] * entities.size() + row]);
        if (FreshnessPolicy.rejects(view, meta)) {
          metrics.slaRejection(view.name());
          int k = entities.joinKey(view.entity().joinKey());
          violations.add(
              new JsonObject()
                  .put(
                      "entity", new JsonObject().put(view.entity().joinKey(), entities.key(k, row)))
                  .put("feature", raws.get(slot).name())
                  .put("age_ms", meta.ageMicros() / 1000));
        }
      }
    }
    return ApiException.freshnessViolated(
        violations.size() + " requested values are older than their view's stale threshold",
        violations);
  }
}
