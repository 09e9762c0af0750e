package io.freshet.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.http.JsonBodies;
import io.freshet.http.Responses;
import io.freshet.model.ApiException;
import io.freshet.registry.Durations;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /v1/monitoring}: a service's baseline (set and read), its drift over a window, two
 * snapshots compared, and the skew replay's findings.
 */
public final class MonitoringHandler {

  private final Monitor monitor;

  public MonitoringHandler(Monitor monitor) {
    this.monitor = monitor;
  }

  /** {@code PUT /v1/monitoring/{service}/baseline} {@code {"snapshot_id"}}. */
  public void putBaseline(RoutingContext ctx) {
    Responses.json(
        ctx,
        () -> {
          JsonNode body = JsonBodies.parseObject(ctx.body().buffer());
          JsonBodies.allowOnly(body, Set.of("snapshot_id"));
          UUID id = snapshotId(body, "snapshot_id");
          return buffer(monitor.putBaseline(ctx.pathParam("service"), id));
        });
  }

  /** {@code GET /v1/monitoring/{service}/baseline}. */
  public void getBaseline(RoutingContext ctx) {
    Responses.json(ctx, () -> buffer(monitor.baseline(ctx.pathParam("service"))));
  }

  /** {@code GET /v1/monitoring/{service}/drift?window=1h}; the service's own window by default. */
  public void drift(RoutingContext ctx) {
    Responses.json(
        ctx,
        () -> {
          String service = ctx.pathParam("service");
          long windowMs =
              window(ctx.queryParam("window"), Monitor.watch(monitor.service(service)).windowMs());
          return buffer(monitor.drift(service, windowMs));
        });
  }

  /** {@code POST /v1/monitoring/drift/compare} {@code {"baseline", "current"}}. */
  public void compare(RoutingContext ctx) {
    Responses.json(
        ctx,
        () -> {
          JsonNode body = JsonBodies.parseObject(ctx.body().buffer());
          JsonBodies.allowOnly(body, Set.of("baseline", "current"));
          return buffer(monitor.compare(snapshotId(body, "baseline"), snapshotId(body, "current")));
        });
  }

  /** {@code GET /v1/monitoring/{service}/skew}. */
  public void skew(RoutingContext ctx) {
    Responses.json(
        ctx, () -> Future.succeededFuture(monitor.skew(ctx.pathParam("service")).toBuffer()));
  }

  private static Future<Buffer> buffer(Future<JsonObject> answer) {
    return answer.map(JsonObject::toBuffer);
  }

  private static long window(List<String> given, long fallback) {
    if (given.size() > 1) {
      throw ApiException.badRequest("window: given " + given.size() + " times; give it once");
    }
    if (given.isEmpty()) {
      return fallback;
    }
    try {
      return Durations.parseMillis(given.get(0));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("window: " + e.getMessage());
    }
  }

  /** A snapshot id field: a string, and 404 when it cannot name a snapshot. */
  private static UUID snapshotId(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw ApiException.badRequest(field + " must be a snapshot id (a string)");
    }
    try {
      return UUID.fromString(value.textValue());
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("no snapshot '" + value.textValue() + "'");
    }
  }
}
