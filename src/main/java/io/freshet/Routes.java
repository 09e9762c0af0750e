package io.freshet;

import io.freshet.config.FreshetOptions;
import io.freshet.http.Admission;
import io.freshet.http.AdmissionControl;
import io.freshet.http.BearerAuth;
import io.freshet.http.FailureHandler;
import io.freshet.http.RequestTimer;
import io.freshet.http.ServingPressure;
import io.freshet.model.ApiException;
import io.freshet.monitoring.MonitoringHandler;
import io.freshet.ops.FreshnessHandler;
import io.freshet.ops.HealthHandler;
import io.freshet.ops.RegistryHandler;
import io.freshet.pit.AsOfHandler;
import io.freshet.pit.FitHandler;
import io.freshet.pit.HistoricalHandler;
import io.freshet.read.OnlineHandler;
import io.freshet.write.IngestHandler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;

/**
 * The HTTP surface: every route, its guard, its timing, and the one failure handler that turns
 * anything thrown into the API's JSON error. Each route group's handler is built once and shared by
 * every event loop's router.
 */
record Routes(
    FreshetOptions options,
    RequestTimer timer,
    AdmissionControl admission,
    ServingPressure pressure,
    HealthHandler health,
    RegistryHandler registry,
    FreshnessHandler freshness,
    OnlineHandler online,
    IngestHandler ingest,
    AsOfHandler asOf,
    HistoricalHandler historical,
    FitHandler fit,
    MonitoringHandler monitoring) {

  Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(timer);
    router.get("/health").handler(health::health);
    router.get("/metrics").handler(health::metrics);
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
    router.route("/v1/monitoring/*").handler(deadline);
    router.get("/v1/registry").handler(registry::handle);
    router.get("/v1/freshness").handler(freshness::handle);
    // An ingest body is read whole before its rows are: one buffer of its announced length, not
    // one grown (and copied) chunk by chunk.
    BodyHandler ingestBody =
        BodyHandler.create(false)
            .setBodyLimit(options.maxBodyBytes())
            .setPreallocateBodyBuffer(true);
    router.post("/v1/ingest/:view").handler(ingestBody).handler(ingest::handle);
    Route onlineRead =
        router.post("/v1/features/online").handler(body).handler(pressure.forEventLoop(vertx));
    Admission admitted = admission.forEventLoop(vertx);
    if (admitted != null) {
      onlineRead.handler(admitted);
    }
    onlineRead.handler(online::handle);
    router
        .post("/v1/features/historical")
        .consumes("application/x-ndjson")
        .handler(historical::ndjson);
    router.post("/v1/features/historical").handler(body).handler(historical::json);
    router.get("/v1/features/:view/:entity_key").handler(asOf::handle);
    router.get("/v1/snapshots/:id").handler(historical::manifest);
    router.post("/v1/transformations/:name/fit").handler(body).handler(fit::handle);
    router.post("/v1/feature_services/:name/fit").handler(body).handler(fit::service);
    router.post("/v1/monitoring/drift/compare").handler(body).handler(monitoring::compare);
    router.put("/v1/monitoring/:service/baseline").handler(body).handler(monitoring::putBaseline);
    router.get("/v1/monitoring/:service/baseline").handler(monitoring::getBaseline);
    router.get("/v1/monitoring/:service/drift").handler(monitoring::drift);
    router.get("/v1/monitoring/:service/skew").handler(monitoring::skew);

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
}
