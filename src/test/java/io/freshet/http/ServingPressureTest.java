package io.freshet.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.metrics.FreshetMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ServingPressureTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FreshetMetrics metrics = new FreshetMetrics(registry, List.of());

  @Test
  void aLateProbeWithReads_pressesForExactlyTheHold() {
    AtomicLong now = new AtomicLong(5_000 * MS);
    ServingPressure pressure = new ServingPressure(now::get, metrics);
    assertFalse(pressure.pressed());
    pressure.probed(now.get(), ServingPressure.LATE_NANOS + 1, true);
    assertTrue(pressure.pressed());
    now.addAndGet(ServingPressure.HOLD_NANOS - 1);
    assertTrue(pressure.pressed());
    now.incrementAndGet();
    assertFalse(pressure.pressed());
  }

  @Test
  void lateWithoutReads_orReadsOnTime_pressNothing() {
    AtomicLong now = new AtomicLong(5_000 * MS);
    ServingPressure pressure = new ServingPressure(now::get, metrics);
    pressure.probed(now.get(), 50 * MS, false);
    assertFalse(pressure.pressed());
    now.addAndGet(ServingPressure.HOLD_NANOS);
    pressure.probed(now.get(), ServingPressure.LATE_NANOS, true);
    assertFalse(pressure.pressed());
  }

  @Test
  void lateAndReadsSeenByDifferentProbes_pressWhileBothAreWithinTheHold() {
    AtomicLong now = new AtomicLong(5_000 * MS);
    long late = now.get();
    ServingPressure pressure = new ServingPressure(now::get, metrics);
    pressure.probed(late, 3 * MS, false);
    now.addAndGet(100 * MS);
    pressure.probed(now.get(), 0, true);
    assertTrue(pressure.pressed());
    now.set(late + ServingPressure.HOLD_NANOS);
    assertFalse(pressure.pressed());
  }

  /** One event loop, with a probed route of reads and a route that is not probed. */
  private static final class Loop extends VerticleBase {
    private final ServingPressure pressure;
    private int port;

    Loop(ServingPressure pressure) {
      this.pressure = pressure;
    }

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      router.post("/read").handler(pressure.forEventLoop(vertx)).handler(Loop::holdTheLoop);
      router.post("/ingest").handler(Loop::holdTheLoop);
      return vertx
          .createHttpServer()
          .requestHandler(router)
          .listen(0, "127.0.0.1")
          .onSuccess(server -> port = server.actualPort());
    }

    /** Keeps the loop for 4 ms, so its probe's timer fires late whenever it falls meanwhile. */
    private static void holdTheLoop(RoutingContext ctx) {
      long until = System.nanoTime() + 4 * MS;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      ctx.end();
    }
  }

  private static void send(HttpClient client, int port, String path) throws Exception {
    client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  @Test
  void aRealLoopKeptFromItsTimerByReads_isPressed_andLetGoOnceTheyStop(Vertx vertx)
      throws Exception {
    ServingPressure pressure = new ServingPressure(System::nanoTime, metrics);
    Loop loop = new Loop(pressure);
    vertx.deployVerticle(loop).await();
    HttpClient client = HttpClient.newHttpClient();

    long until = System.nanoTime() + 300 * MS;
    while (System.nanoTime() < until) {
      send(client, loop.port, "/ingest");
      assertFalse(pressure.pressed(), "a late loop with no online reads presses nothing");
    }

    long deadline = System.nanoTime() + 5_000 * MS;
    while (!pressure.pressed() && System.nanoTime() < deadline) {
      send(client, loop.port, "/read");
    }
    assertTrue(pressure.pressed(), "reads on a loop kept from its timer press it");
    Timer lag = registry.get("freshet_event_loop_lag").timer();
    assertTrue(lag.max(TimeUnit.NANOSECONDS) > ServingPressure.LATE_NANOS, lag.toString());

    deadline = System.nanoTime() + 5_000 * MS;
    while (pressure.pressed() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    assertFalse(pressure.pressed(), "pressure ends once the reads stop");
  }
}
