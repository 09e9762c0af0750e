package io.freshet.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A slow Redis read costs its own request a trip to Postgres and takes nothing down for anyone
 * else; such trips are bounded. Redis and Postgres are reached through relays the test can hold
 * (connections kept, no byte passed), which is what a server that is slow to answer looks like.
 */
@ExtendWith(VertxExtension.class)
class WarmFallbackTest {

  private static final Duration REDIS_TIMEOUT = Duration.ofMillis(300);

  private TcpProxy redis;
  private TcpProxy.ToPostgres pg;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    redis = new TcpProxy(vertx, URI.create(FreshetFixture.TEST_REDIS_URL).getPort());
    pg = TcpProxy.toPostgres(vertx);
    f =
        FreshetFixture.start(
            vertx,
            o ->
                o.redisUrl(
                        "redis://127.0.0.1:"
                            + redis.port()
                            + URI.create(FreshetFixture.TEST_REDIS_URL).getPath())
                    .pgUrl(pg.url())
                    .pgPoolSize(1)
                    .hotMaxEntries(0)
                    .redisTimeout(REDIS_TIMEOUT));
    f.ingest("profile", FreshetFixture.userOneProfile());
  }

  @AfterEach
  void stop() {
    redis.release();
    pg.proxy().release();
    pg.closeWith(f);
    redis.close();
  }

  @Test
  void slowRedisRead_fallsBackAlone_warmTierStaysUp() {
    assertEquals("warm", tier(read()));
    redis.hold();
    Api.Response slow = read();
    assertEquals(200, slow.status());
    assertEquals("cold", tier(slow));
    assertEquals(
        33,
        slow.json()
            .getJsonArray("results")
            .getJsonObject(0)
            .getJsonObject("values")
            .getInteger("profile:age"));
    assertEquals("UP", f.api.get("/health").json().getJsonObject("tiers").getString("warm"));
    assertEquals(1.0, f.metric("freshet_warm_fallbacks_total{outcome=\"to_postgres\"}"));
    redis.release();
    // The late answer to the timed-out read is dropped in order; the next read is Redis's again.
    assertEquals("warm", tier(read()));
    assertEquals("UP", f.api.get("/health").json().getJsonObject("tiers").getString("warm"));
  }

  @Test
  @Timeout(30)
  void fallbacks_bounded_readsPastTheBoundAnswered503() throws Exception {
    redis.hold();
    pg.proxy().hold();
    // One Postgres connection: at most four reads may fall back at once; six are sent.
    ExecutorService clients = Executors.newFixedThreadPool(6);
    List<Future<Api.Response>> reads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      reads.add(clients.submit(this::read));
    }
    assertTrue(
        f.eventually(
            Duration.ofSeconds(10), () -> reads.stream().filter(Future::isDone).count() == 2),
        "the two reads past the bound were answered while Postgres was held");
    assertEquals(
        2, reads.stream().filter(Future::isDone).count(), "the other four wait on Postgres");
    for (Future<Api.Response> read : reads) {
      if (read.isDone()) {
        assertEquals(503, read.get().status());
        assertEquals("unavailable", read.get().error());
      }
    }
    pg.proxy().release();
    redis.release();
    int answered = 0;
    for (Future<Api.Response> read : reads) {
      Api.Response response = read.get(20, TimeUnit.SECONDS);
      if (response.status() == 200) {
        assertEquals("cold", tier(response));
        answered++;
      }
    }
    clients.shutdown();
    assertEquals(4, answered);
    assertEquals(4.0, f.metric("freshet_warm_fallbacks_total{outcome=\"to_postgres\"}"));
    assertEquals(2.0, f.metric("freshet_warm_fallbacks_total{outcome=\"refused\"}"));
    assertEquals("UP", f.api.get("/health").json().getJsonObject("tiers").getString("warm"));
  }

  private Api.Response read() {
    return f.online(
        new JsonObject()
            .put("features", new JsonArray().add("profile:age"))
            .put("entities", new JsonObject().put("user_id", new JsonArray().add(1))));
  }

  private static String tier(Api.Response response) {
    return response
        .json()
        .getJsonArray("results")
        .getJsonObject(0)
        .getJsonObject("meta")
        .getJsonObject("profile:age")
        .getString("tier");
  }
}
