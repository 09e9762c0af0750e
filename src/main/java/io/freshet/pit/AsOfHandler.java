package io.freshet.pit;

import io.freshet.freshness.FreshnessPolicy;
import io.freshet.http.Responses;
import io.freshet.model.ApiException;
import io.freshet.model.CellMeta;
import io.freshet.model.EntityKeys;
import io.freshet.model.FeatureRecord;
import io.freshet.model.Timestamps;
import io.freshet.registry.FeatureView;
import io.freshet.registry.Registry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/features/{view}/{entity_key}?at=TS}: the one record of a view in force at {@code
 * at} (default now), by the same as-of rule and SLA policy as snapshot rows; 404 when there is
 * none. On an event view, its aggregations over the windows ending at {@code at}.
 */
public final class AsOfHandler {

  private final Registry registry;
  private final PointInTimeEngine engine;
  private final Clock clock;

  public AsOfHandler(Registry registry, PointInTimeEngine engine, Clock clock) {
    this.registry = registry;
    this.engine = engine;
    this.clock = clock;
  }

  public void handle(RoutingContext ctx) {
    Responses.json(
        ctx,
        () -> {
          String name = ctx.pathParam("view");
          FeatureView view =
              registry
                  .view(name)
                  .orElseThrow(() -> ApiException.notFound("unknown feature view '" + name + "'"));
          Object key = entityKey(view, ctx.pathParam("entity_key"));
          long now = Timestamps.nowMicros(clock);
          long at = at(ctx.queryParam("at"), now);
          if (view.isEvents()) {
            return engine
                .windows(view, key.toString(), at, now)
                .map(w -> windowAnswer(view, key, at, w));
          }
          return engine.single(view, key.toString(), at, now).map(r -> answer(view, key, at, r));
        });
  }

  private static Object entityKey(FeatureView view, String text) {
    Object key = EntityKeys.of(view.entity().keyType(), text);
    if (key == null) {
      throw ApiException.badRequest(
          view.entity().joinKey()
              + " must be "
              + EntityKeys.expected(view.entity().keyType())
              + ", got '"
              + text
              + "'");
    }
    return key;
  }

  private static long at(List<String> given, long now) {
    if (given.size() > 1) {
      throw ApiException.badRequest("at: given " + given.size() + " times; give it once");
    }
    if (given.isEmpty()) {
      return now;
    }
    try {
      return Timestamps.parseMicros(given.get(0));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("at: " + e.getMessage());
    }
  }

  /**
   * An event view's aggregations as of {@code at}: each over its window ending there. A view that
   * has received events always answers (an entity without any has counts of 0).
   */
  private static Buffer windowAnswer(
      FeatureView view, Object key, long at, Optional<WindowValues> found) {
    WindowValues windows =
        found.orElseThrow(
            () ->
                ApiException.notFound(
                    "event view '" + view.name() + "' has not received any event yet"));
    JsonObject values = new JsonObject();
    for (int a = 0; a < view.aggregations().size(); a++) {
      values.put(view.aggregations().get(a).name(), windows.values().get(a));
    }
    long newest = windows.newestCountedMicros();
    return new JsonObject()
        .put("view", view.name())
        .put("entity", new JsonObject().put(view.entity().joinKey(), key))
        .put("values", values)
        .put("window_end", Timestamps.format(at))
        .put("event_timestamp", newest == CellMeta.NO_EVENT ? null : Timestamps.format(newest))
        .toBuffer();
  }

  private static Buffer answer(FeatureView view, Object key, long at, FeatureRecord record) {
    if (record == null) {
      throw ApiException.notFound(
          "no value of '" + view.name() + "' for " + key + " as of " + Timestamps.format(at));
    }
    CellMeta meta = FreshnessPolicy.meta(view, record.eventMicros(), null, at);
    Object[] stored = record.values(view.shape());
    JsonObject values = new JsonObject();
    for (int f = 0; f < stored.length; f++) {
      values.put(view.features().get(f).name(), FreshnessPolicy.value(view, meta, stored[f]));
    }
    return new JsonObject()
        .put("view", view.name())
        .put("entity", new JsonObject().put(view.entity().joinKey(), key))
        .put("values", values)
        .put("event_timestamp", Timestamps.format(record.eventMicros()))
        .put("ingested_at", Timestamps.format(record.ingestedMicros()))
        .toBuffer();
  }
}
