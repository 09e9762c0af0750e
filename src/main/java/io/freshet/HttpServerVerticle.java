package io.freshet;

import io.freshet.config.FreshetOptions;
import io.freshet.http.FailureHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** One HTTP server on its own event loop; the process deploys one per event loop. */
final class HttpServerVerticle extends VerticleBase {

  private final FreshetOptions options;
  private final Routes routes;
  private HttpServer server;

  HttpServerVerticle(FreshetOptions options, Routes routes) {
    this.options = options;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost(options.httpHost())
                    .setPort(options.httpPort())
                    .setCompressionSupported(false)
                    .setIdleTimeout((int) options.idleTimeout().toMillis())
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
            .invalidRequestHandler(FailureHandler::invalidRequest)
            .requestHandler(routes.router(vertx));
    return server.listen();
  }

  /**
   * Stops accepting, lets requests in flight finish within the grace period, then closes: a write
   * that was being committed is acknowledged rather than cut.
   */
  @Override
  public Future<?> stop() {
    return server.shutdown(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
  }

  int actualPort() {
    return server.actualPort();
  }
}
