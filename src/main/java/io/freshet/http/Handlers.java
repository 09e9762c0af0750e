package io.freshet.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.ApiException;
import io.freshet.config.FreshetOptions;
import io.freshet.freshness.FreshnessReport;
import io.freshet.ingest.IngestService;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.pit.PointInTimeEngine;
import io.freshet.pit.SnapshotRequestParser;
import io.freshet.pit.SnapshotStore;
import io.freshet.pit.TransformationFitter;
import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.Registry;
import io.freshet.registry.RegistryJson;
import io.freshet.registry.ValueType;
import io.freshet.store.Cells;
import io.freshet.store.Column;
import io.freshet.store.FeatureSelection;
import io.freshet.store.OnlineReads;
import io.freshet.store.SelectionCache;
import io.freshet.store.Timestamps;
import io.freshet.tier.ColdTier;
import io.freshet.tier.WarmTier;
import io.freshet.transform.TransformationCatalog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The route handlers: each parses, calls one service, and writes; failures go to ctx.fail. */
public final class Handlers {

  private static final String JSON = "application/json";

  private final Registry registry;
  private final SelectionCache selections;
  private final IngestService ingest;
  private final OnlineReads online;
  private final FreshnessReport freshness;
  private final WarmTier warm;
  private final ColdTier cold;
  private final FreshetMetrics metrics;
  private final PrometheusMeterRegistry prometheus;
  private final TransformationCatalog catalog;
  private final TransformationFitter fitter;
  private volatile RegistryBody registryBody = new RegistryBody(-1, null);
  private final HistoricalHandler historical;
  private final PointInTimeEngine pointInTime;
  private final SnapshotStore snapshots;
  private final Clock clock;
  private final int maxOnlineEntities;

  public Handlers(
      Registry registry,
      TransformationCatalog catalog,
      IngestService ingest,
      OnlineReads online,
      FreshnessReport freshness,
      WarmTier warm,
      ColdTier cold,
      FreshetMetrics metrics,
      PrometheusMeterRegistry prometheus,
      PointInTimeEngine pointInTime,
      SnapshotStore snapshots,
      TransformationFitter fitter,
      Clock clock,
      FreshetOptions options) {
    this.registry = registry;
    this.selections = new SelectionCache(registry, catalog);
    this.ingest = ingest;
    this.online = online;
    this.freshness = freshness;
    this.warm = warm;
    this.cold = cold;
    this.metrics = metrics;
    this.prometheus = prometheus;
    this.catalog = catalog;
    this.fitter = fitter;
    this.pointInTime = pointInTime;
    this.snapshots = snapshots;
    this.clock = clock;
    this.maxOnlineEntities = options.maxOnlineEntities();
    this.historical =
        new HistoricalHandler(
            new SnapshotRequestParser(selections),
            pointInTime,
            snapshots,
            clock,
            options.maxSnapshotRows());
  }

  FreshetMetrics metrics() {
    return metrics;
  }

  void health(RoutingContext ctx) {
    boolean warmUp = warm.isUp();
    boolean coldUp = cold.isUp();
    JsonObject body =
        new JsonObject()
            .put("status", warmUp && coldUp ? "UP" : "DEGRADED")
            .put(
                "tiers",
                new JsonObject()
                    .put("hot", "UP")
                    .put("warm", warmUp ? "UP" : "DOWN")
                    .put("cold", coldUp ? "UP" : "DOWN"));
    ctx.response().putHeader("content-type", JSON).end(body.toBuffer());
  }

  void metrics(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(prometheus.scrape());
  }

  void freshness(RoutingContext ctx) {
    ctx.response().putHeader("content-type", JSON).end(freshness.toJson().toBuffer());
  }

  /** The registry listing as last encoded, with the catalog generation it shows. */
  private record RegistryBody(long generation, Buffer json) {}

  void registry(RoutingContext ctx) {
    RegistryBody body = registryBody;
    long generation = catalog.generation();
    if (body.generation() != generation) {
      body =
          new RegistryBody(generation, RegistryJson.toJson(registry, catalog.toJson()).toBuffer());
      registryBody = body;
    }
    ctx.response().putHeader("content-type", JSON).end(body.json());
  }

  /** {@code POST /v1/transformations/{name}/fit}: fits from one snapshot, stores a version. */
  void fit(RoutingContext ctx) {
    respond(
        ctx,
        () -> {
          JsonNode body = JsonBodies.parseObject(ctx.body().buffer());
          JsonBodies.allowOnly(body, Set.of("snapshot_id"));
          JsonNode id = body.get("snapshot_id");
          if (id == null || !id.isTextual()) {
            throw ApiException.badRequest("snapshot_id must be a snapshot's id (a string)");
          }
          UUID snapshotId;
          try {
            snapshotId = UUID.fromString(id.textValue());
          } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no snapshot '" + id.textValue() + "'");
          }
          return fitter.fit(ctx.pathParam("name"), snapshotId).map(JsonObject::toBuffer);
        });
  }

  void ingest(RoutingContext ctx) {
    respond(
        ctx,
        () -> {
          String view = ctx.pathParam("view");
          ingest.view(view);
          List<JsonNode> rows =
              IngestBody.rows(ctx.request().getHeader("content-type"), ctx.body().buffer());
          String key = IngestBody.idempotencyKey(ctx.request().getHeader("Idempotency-Key"));
          return ingest
              .ingest(
                  view,
                  rows,
                  key,
                  key == null ? null : IngestBody.sha256(view, ctx.body().buffer()))
              .map(
                  accepted ->
                      new JsonObject()
                          .put("accepted", accepted.rows())
                          .put("ingested_at", Timestamps.format(accepted.ingestedMicros()))
                          .toBuffer());
        });
  }

  void online(RoutingContext ctx) {
    respond(
        ctx,
        () -> {
          OnlineRequest request =
              OnlineRequest.parse(
                  JsonBodies.parseObject(ctx.body().buffer()), registry, maxOnlineEntities);
          FeatureSelection selection =
              request.service() != null
                  ? selections.ofService(request.service())
                  : selections.ofNames(request.features());
          return online
              .read(selection, request.entities())
              .map(result -> OnlineResponseWriter.write(result, request.metaFull()));
        });
  }

  HistoricalHandler historical() {
    return historical;
  }

  /** {@code GET /v1/features/{view}/{entity_key}?at=TS}: one as-of record, ttl applied. */
  void asOf(RoutingContext ctx) {
    respond(
        ctx,
        () -> {
          FeatureView view =
              registry
                  .view(ctx.pathParam("view"))
                  .orElseThrow(
                      () ->
                          ApiException.notFound(
                              "unknown feature view '" + ctx.pathParam("view") + "'"));
          Object key = entityKey(view, ctx.pathParam("entity_key"));
          long now = Timestamps.nowMicros(clock);
          long at = now;
          List<String> atParams = ctx.queryParam("at");
          if (atParams.size() > 1) {
            throw ApiException.badRequest("at: given " + atParams.size() + " times; give it once");
          }
          String atParam = atParams.isEmpty() ? null : atParams.get(0);
          if (atParam != null) {
            try {
              at = Timestamps.parseMicros(atParam);
            } catch (IllegalArgumentException e) {
              throw ApiException.badRequest("at: " + e.getMessage());
            }
          }
          long asOf = at;
          return pointInTime
              .single(view, key.toString(), asOf, now)
              .map(
                  record -> {
                    if (record == null) {
                      throw ApiException.notFound(
                          "no value of '"
                              + view.name()
                              + "' for "
                              + key
                              + " as of "
                              + Timestamps.format(asOf));
                    }
                    JsonObject values = new JsonObject();
                    for (FeatureDef feature : view.features()) {
                      Column.Raw column =
                          new Column.Raw(view.name() + ":" + feature.name(), view, feature);
                      values.put(feature.name(), Cells.of(column, record, null, asOf).value());
                    }
                    return new JsonObject()
                        .put("view", view.name())
                        .put("entity", new JsonObject().put(view.entity().joinKey(), key))
                        .put("values", values)
                        .put("event_timestamp", Timestamps.format(record.eventMicros()))
                        .put("ingested_at", Timestamps.format(record.ingestedMicros()))
                        .toBuffer();
                  });
        });
  }

  private static Object entityKey(FeatureView view, String text) {
    if (view.entity().keyType() != ValueType.INT64) {
      return text;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          view.entity().joinKey() + " must be an int64, got '" + text + "'");
    }
  }

  void snapshot(RoutingContext ctx) {
    respond(
        ctx,
        () -> {
          UUID id;
          try {
            id = UUID.fromString(ctx.pathParam("id"));
          } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no snapshot '" + ctx.pathParam("id") + "'");
          }
          return snapshots
              .find(id)
              .map(
                  manifest ->
                      manifest
                          .orElseThrow(() -> ApiException.notFound("no snapshot '" + id + "'"))
                          .toBuffer());
        });
  }

  /** Runs a handler body so that a throw and a failed future both reach the failure handler. */
  private static void respond(
      RoutingContext ctx, java.util.function.Supplier<Future<Buffer>> work) {
    Future<Buffer> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    result.onComplete(
        (body, failure) -> {
          if (failure != null) {
            ctx.fail(failure);
          } else {
            ctx.response().putHeader("content-type", JSON).end(body);
          }
        });
  }
}
