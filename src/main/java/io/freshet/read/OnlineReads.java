package io.freshet.read;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshet.freshness.FreshnessPolicy;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.ApiException;
import io.freshet.model.Cell;
import io.freshet.model.CellMeta;
import io.freshet.model.FeatureRecord;
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
  public OnlineReads(Tiers tiers, Clock clock, FreshetMetrics metrics, int maxWarmFallbacks) {
    this.tiers = new TierCascade(tiers, metrics, maxWarmFallbacks);
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
    int[] keyOf = new int[views * rows];
    List<TierKey> keys = new ArrayList<>(views * rows);
    for (int v = 0; v < views; v++) {
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
    return tiers.latest(keys).map(lookup -> assemble(plan, entities, keyOf, lookup));
  }

  private OnlineResult assemble(
      ReadPlan plan, EntityRows entities, int[] keyOf, TierLookup lookup) {
    long now = Timestamps.nowMicros(clock);
    int rows = entities.size();
    CellMeta[] metaOf = new CellMeta[lookup.size()];
    Object[][] storedOf = new Object[lookup.size()][];
    boolean anyRejected = false;
    for (int v = 0; v < plan.views.length; v++) {
      FeatureView view = plan.views[v];
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
            storedOf[k] = record.values(plan.shapes[v]);
          }
        }
        plan.meters[v].served(metaOf[k], plan.rawsOfView[v]);
      }
    }
    if (anyRejected) {
      throw rejected(plan, entities, keyOf, metaOf);
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
          metas[row][c] = metaOf[k];
          values[row][c] = storedOf[k] == null ? null : storedOf[k][plan.rawPosition[slot]];
        }
      }
      if (plan.computed.length > 0) {
        compute(plan, rows, row, keyOf, metaOf, storedOf, values[row], metas[row]);
      }
    }
    return new OnlineResult(plan, entities, values, metas, now);
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
      CellMeta[] metaOf,
      Object[][] storedOf,
      Object[] values,
      CellMeta[] metas) {
    Cell[] raw = new Cell[plan.rawView.length];
    for (int c : plan.computed) {
      for (int slot : plan.selection.slots(c)) {
        if (raw[slot] == null) {
          int k = keyOf[plan.rawView[slot] * rows + row];
          Object value = storedOf[k] == null ? null : storedOf[k][plan.rawPosition[slot]];
          raw[slot] = new Cell(value, metaOf[k]);
        }
      }
      Cell cell = transforms.column(plan.selection, c, raw);
      values[c] = cell.value();
      metas[c] = cell.meta();
    }
  }

  /** 409 naming every stored value a rejecting view would have served ROTTEN, row by row. */
  private ApiException rejected(
      ReadPlan plan, EntityRows entities, int[] keyOf, CellMeta[] metaOf) {
    List<Column.Raw> raws = plan.selection.raws();
    JsonArray violations = new JsonArray();
    for (int row = 0; row < entities.size(); row++) {
      for (int slot = 0; slot < raws.size(); slot++) {
        FeatureView view = plan.views[plan.rawView[slot]];
        CellMeta meta = metaOf[keyOf[plan.rawView[slot] * entities.size() + row]];
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
