package io.freshet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.config.FreshetOptions;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admission control of online reads, with the limit pinned to one read at a time on one event loop
 * and that read held on a Redis that does not answer (a relay the test holds): what comes next
 * waits or is refused, and a refusal touches no tier.
 */
@ExtendWith(VertxExtension.class)
class AdmissionTest {

  private TcpProxy redis;
  private FreshetFixture f;

  private void start(Vertx vertx, Consumer<FreshetOptions> admission) {
    redis = new TcpProxy(vertx, URI.create(FreshetFixture.TEST_REDIS_URL).getPort());
    f =
        FreshetFixture.start(
            vertx,
            o -> {
              o.redisUrl(
                      "redis://127.0.0.1:"
                          + redis.port()
                          + URI.create(FreshetFixture.TEST_REDIS_URL).getPath())
                  .hotMaxEntries(0)
                  .eventLoops(1)
                  .redisTimeout(Duration.ofSeconds(10));
              admission.accept(o);
            });
    f.ingest("profile", FreshetFixture.userOneProfile());
  }

  @AfterEach
  void stop() {
    redis.release();
    f.close();
    redis.close();
  }

  @Test
  void overTheLimit_noQueue_503RetryAfter_touchesNoTier(Vertx vertx) throws Exception {
    start(vertx, o -> o.admission().maxInFlight(1).queueTimeout(Duration.ZERO));
    double warmBefore = warmLookups();
    redis.hold();
    CompletableFuture<Api.Response> held = CompletableFuture.supplyAsync(this::read);
    assertTrue(
        f.eventually(Duration.ofSeconds(5), () -> f.metric("freshet_admission_in_flight") == 1.0));
    Api.Response refused = read();
    assertEquals(503, refused.status());
    assertEquals("unavailable", refused.error());
    assertEquals("1", refused.retryAfter());
    assertEquals(1.0, f.metric("freshet_admission_refused_total"));
    redis.release();
    assertEquals(200, held.get(10, TimeUnit.SECONDS).status());
    // Only the admitted read looked anything up: one (view, entity) in Redis.
    assertEquals(1.0, warmLookups() - warmBefore);
    assertEquals(200, read().status(), "the place is free again");
  }

  @Test
  void overTheLimit_waitsForAPlace_thenAnswered(Vertx vertx) throws Exception {
    start(vertx, o -> o.admission().maxInFlight(1).queueTimeout(Duration.ofSeconds(10)));
    redis.hold();
    CompletableFuture<Api.Response> first = CompletableFuture.supplyAsync(this::read);
    assertTrue(
        f.eventually(Duration.ofSeconds(5), () -> f.metric("freshet_admission_in_flight") == 1.0));
    CompletableFuture<Api.Response> second = CompletableFuture.supplyAsync(this::read);
    assertTrue(
        f.eventually(Duration.ofSeconds(5), () -> f.metric("freshet_admission_waiting") == 1.0));
    redis.release();
    assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
    assertEquals(200, second.get(10, TimeUnit.SECONDS).status());
    assertEquals(0.0, f.metric("freshet_admission_refused_total"));
  }

  @Test
  void overTheLimit_waitedTooLong_503(Vertx vertx) throws Exception {
    start(vertx, o -> o.admission().maxInFlight(1).queueTimeout(Duration.ofMillis(200)));
    redis.hold();
    CompletableFuture<Api.Response> held = CompletableFuture.supplyAsync(this::read);
    assertTrue(
        f.eventually(Duration.ofSeconds(5), () -> f.metric("freshet_admission_in_flight") == 1.0));
    long start = System.nanoTime();
    Api.Response refused = read();
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(503, refused.status());
    assertEquals("1", refused.retryAfter());
    assertTrue(waitedMs >= 200, "refused after its wait, not at once: " + waitedMs + " ms");
    redis.release();
    assertEquals(200, held.get(10, TimeUnit.SECONDS).status());
  }

  @Test
  void off_noLimit_noMeters(Vertx vertx) throws Exception {
    start(vertx, o -> o.admission().maxInFlight(0));
    redis.hold();
    CompletableFuture<Api.Response> first = CompletableFuture.supplyAsync(this::read);
    CompletableFuture<Api.Response> second = CompletableFuture.supplyAsync(this::read);
    redis.release();
    assertEquals(200, first.get(10, TimeUnit.SECONDS).status());
    assertEquals(200, second.get(10, TimeUnit.SECONDS).status());
    assertEquals(0.0, f.metric("freshet_admission_refused_total"));
    assertEquals(0.0, f.metric("freshet_admission_limit"));
  }

  private Api.Response read() {
    return f.online(
        new JsonObject()
            .put("features", new JsonArray().add("profile:age"))
            .put("entities", new JsonObject().put("user_id", new JsonArray().add(1))));
  }

  private double warmLookups() {
    return f.metric("freshet_tier_reads_total{result=\"hit\",tier=\"warm\"}")
        + f.metric("freshet_tier_reads_total{result=\"miss\",tier=\"warm\"}");
  }
}
