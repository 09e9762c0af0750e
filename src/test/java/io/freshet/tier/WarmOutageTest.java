package io.freshet.tier;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.testing.FreshetFixture;
import io.freshet.testing.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real redis-server of the test's own, killed, paused and brought back under Freshet. */
@ExtendWith(VertxExtension.class)
class WarmOutageTest {

  private RedisProcess redis;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    redis = new RedisProcess();
    f = FreshetFixture.start(vertx, o -> o.redisUrl(redis.url()));
  }

  @AfterEach
  void stop() {
    redis.resume();
    f.close();
    redis.close();
  }

  private void checkWarm() {
    f.freshet.store().warm().check().transform(ar -> Future.succeededFuture()).await();
  }

  private void ingest(int age, Duration beforeT0) {
    f.ingest(
        "profile",
        new JsonObject()
            .put("user_id", 1)
            .put("event_timestamp", at(beforeT0))
            .put("age", age)
            .put("plan", "pro"));
  }

  private JsonObject readAge() {
    JsonObject r =
        f.online(
                new JsonObject()
                    .put("features", new JsonArray().add("profile:age"))
                    .put("entities", new JsonObject().put("user_id", new JsonArray().add(1))))
            .json()
            .getJsonArray("results")
            .getJsonObject(0);
    return new JsonObject()
        .put("age", r.getJsonObject("values").getInteger("profile:age"))
        .put("tier", r.getJsonObject("meta").getJsonObject("profile:age").getString("tier"));
  }

  private JsonObject health() {
    return f.api.get("/health").json();
  }

  @Test
  void redisKilled_degradedWritesAcknowledgedReadsFromCold_thenRecoversWithoutRestart() {
    ingest(30, Duration.ofSeconds(30));
    assertEquals("UP", health().getString("status"));

    redis.kill();
    checkWarm();
    assertEquals("DEGRADED", health().getString("status"));
    assertEquals("DOWN", health().getJsonObject("tiers").getString("warm"));
    assertEquals("UP", health().getJsonObject("tiers").getString("cold"));

    ingest(31, Duration.ofSeconds(20));
    assertEquals(2, f.historyCount("profile"));
    f.clearHot();
    assertEquals(new JsonObject().put("age", 31).put("tier", "cold"), readAge());

    redis.start();
    checkWarm();
    assertEquals("UP", health().getString("status"));
    f.clearHot();
    assertEquals(new JsonObject().put("age", 31).put("tier", "cold"), readAge());
    f.clearHot();
    assertEquals(new JsonObject().put("age", 31).put("tier", "warm"), readAge());

    ingest(32, Duration.ofSeconds(10));
    f.clearHot();
    assertEquals(new JsonObject().put("age", 32).put("tier", "warm"), readAge());
  }

  @Test
  void redisPausedKeepingOldValue_writeDuringOutageIsNeverShadowedAfterRecovery() {
    ingest(40, Duration.ofSeconds(30));
    f.clearHot();
    assertEquals(new JsonObject().put("age", 40).put("tier", "warm"), readAge());

    redis.pause();
    checkWarm();
    assertEquals("DOWN", health().getJsonObject("tiers").getString("warm"));
    ingest(41, Duration.ofSeconds(20));
    assertEquals(1, f.freshet.store().warm().pendingRepairs());

    redis.resume();
    checkWarm();
    assertEquals("UP", health().getJsonObject("tiers").getString("warm"));
    assertEquals(0, f.freshet.store().warm().pendingRepairs());
    f.clearHot();
    assertEquals(new JsonObject().put("age", 41).put("tier", "cold"), readAge());
    f.clearHot();
    assertEquals(new JsonObject().put("age", 41).put("tier", "warm"), readAge());
  }
}
