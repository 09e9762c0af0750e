package io.freshet.http;

import io.freshet.metrics.FreshetMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Times every request by its route template, so metrics never grow with entity keys. */
public final class RequestTimer implements Handler<RoutingContext> {

  private final FreshetMetrics metrics;

  public RequestTimer(FreshetMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        done -> {
          metrics.requestTimed(
              routeName(ctx),
              ctx.request().method().name(),
              ctx.response().getStatusCode(),
              System.nanoTime() - start);
        });
    ctx.next();
  }

  private static String routeName(RoutingContext ctx) {
    String path;
    try {
      path = ctx.normalizedPath();
    } catch (IllegalArgumentException malformedEscape) {
      // The router refused this path too (400); it is still counted, under "other".
      return "other";
    }
    if (path.startsWith("/v1/ingest/")) {
      return "/v1/ingest/{view}";
    }
    if (path.startsWith("/v1/snapshots/")) {
      return "/v1/snapshots/{id}";
    }
    if (path.startsWith("/v1/transformations/") && path.endsWith("/fit")) {
      return "/v1/transformations/{name}/fit";
    }
    if (path.startsWith("/v1/features/")
        && !path.equals("/v1/features/online")
        && !path.equals("/v1/features/historical")) {
      return "/v1/features/{view}/{entity_key}";
    }
    switch (path) {
      case "/health":
      case "/metrics":
      case "/v1/registry":
      case "/v1/freshness":
      case "/v1/features/online":
      case "/v1/features/historical":
        return path;
      default:
        return "other";
    }
  }
}
