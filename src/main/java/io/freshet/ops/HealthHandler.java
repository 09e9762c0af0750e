package io.freshet.ops;

import io.freshet.http.Responses;
import io.freshet.tier.ColdTier;
import io.freshet.tier.WarmTier;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /health} (which tiers answer) and {@code GET /metrics} (Prometheus text). */
public final class HealthHandler {

  private final WarmTier warm;
  private final ColdTier cold;
  private final PrometheusMeterRegistry prometheus;

  public HealthHandler(WarmTier warm, ColdTier cold, PrometheusMeterRegistry prometheus) {
    this.warm = warm;
    this.cold = cold;
    this.prometheus = prometheus;
  }

  public void health(RoutingContext ctx) {
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
    ctx.response().putHeader("content-type", Responses.JSON).end(body.toBuffer());
  }

  public void metrics(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(prometheus.scrape());
  }
}
