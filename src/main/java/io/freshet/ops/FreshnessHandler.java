package io.freshet.ops;

import io.freshet.freshness.FreshnessReport;
import io.freshet.http.Responses;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/freshness}: each view's pipeline lag, classified by its SLA. */
public final class FreshnessHandler {

  private final FreshnessReport report;

  public FreshnessHandler(FreshnessReport report) {
    this.report = report;
  }

  public void handle(RoutingContext ctx) {
    ctx.response().putHeader("content-type", Responses.JSON).end(report.toJson().toBuffer());
  }
}
