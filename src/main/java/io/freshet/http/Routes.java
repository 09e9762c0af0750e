package io.freshet.http;

import io.freshet.ApiException;
import io.freshet.config.FreshetOptions;
import io.freshet.metrics.FreshetMetrics;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;

/**
 * The HTTP surface: every route, its guard, its timing, and the one failure handler that turns
 * anything thrown into the API's JSON error.
 */
public final class Routes {

  private Routes() {}

  public static Router create(Vertx vertx, FreshetOptions options, Handlers handlers) {
    Router router = Router.router(vertx);
    FreshetMetrics metrics = handlers.metrics();

    router.route().handler(ctx -> timed(ctx, metrics));
    router.get("/health").handler(handlers::health);
    router.get("/metrics").handler(handlers::metrics);
    router.route("/v1/*").handler(new BearerAuth(options.readToken(), options.writeToken()));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(options.maxBodyBytes());
    // Reads get a deadline, so a Postgres that hangs gets them a 503 rather than a connection cut
    // at the idle timeout. Snapshots stream for as long as they need, and writes (ingest, fits)
    // run to their end, since a write answered 503 must have written nothing.
    TimeoutHandler deadline = TimeoutHandler.create(options.requestTimeout().toMillis(), 503);
    router.route("/v1/features/online").handler(deadline);
    router.route("/v1/registry").handler(deadline);
    router.get("/v1/freshness").handler(deadline);
    router.get("/v1/features/:view/:entity_key").handler(deadline);
    router.get("/v1/snapshots/:id").handler(deadline);
    router.get("/v1/registry").handler(handlers::registry);
    router.get("/v1/freshness").handler(handlers::freshness);
    router.post("/v1/ingest/:view").handler(body).handler(handlers::ingest);
    router.post("/v1/features/online").handler(body).handler(handlers::online);
    router
        .post("/v1/features/historical")
        .consumes("application/x-ndjson")
        .handler(handlers.historical()::ndjson);
    router.post("/v1/features/historical").handler(body).handler(handlers.historical()::json);
    router.get("/v1/features/:view/:entity_key").handler(handlers::asOf);
    router.get("/v1/snapshots/:id").handler(handlers::snapshot);
    router.post("/v1/transformations/:name/fit").handler(body).handler(handlers::fit);

    router
        .route()
        .last()
        .handler(
            ctx ->
                ctx.fail(
                    ApiException.notFound(
                        "no route " + ctx.request().method() + " " + ctx.normalizedPath())));
    router.route().failureHandler(FailureHandler::handle);
    router.errorHandler(400, FailureHandler::malformedRequest);
    router.errorHandler(404, FailureHandler::handle);
    router.errorHandler(500, FailureHandler::handle);
    return router;
  }

  /** Times every request by its route template, so metrics never grow with entity keys. */
  private static void timed(RoutingContext ctx, FreshetMetrics metrics) {
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
