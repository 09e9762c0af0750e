package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.config.FreshetOptions;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MainProcess;
import io.freshet.testing.MutableClock;
import io.freshet.testing.RedisProcess;
import io.freshet.testing.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The writer of a batch dies while Redis is out of its reach, leaving Redis with the value before
 * the batch: another instance, running or started later, repairs the key from the durable log. The
 * writer is a real process (killed with SIGKILL); Redis a server of the test's own.
 */
@ExtendWith(VertxExtension.class)
class DurableRepairTest {

  private RedisProcess redis;
  private String schema;
  private String prefix;
  private MainProcess writer;
  private FreshetFixture other;

  @BeforeEach
  void names() {
    redis = new RedisProcess();
    schema = "test_repair_" + Long.toHexString(System.nanoTime());
    prefix = "freshet-test:" + schema + ":";
  }

  @AfterEach
  void stop() throws Exception {
    redis.closeAfter(writer, other);
  }

  private FreshetOptions options(String redisUrl) {
    return FreshetOptions.fromEnv(System.getenv())
        .httpHost("127.0.0.1")
        .httpPort(FreshetFixture.freePort())
        .schemasDir(FreshetFixture.TEST_SCHEMAS)
        .redisUrl(redisUrl)
        .pgSchema(schema)
        .redisKeyPrefix(prefix)
        .healthInterval(Duration.ofHours(1))
        .eventLoops(2)
        .writeToken(null)
        .readToken(null);
  }

  /** The writer: its own JVM on the real clock, probing Redis every 100 ms. */
  private Api startWriter(Vertx vertx, String redisUrl) {
    int port = FreshetFixture.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("FRESHET_HTTP_PORT", Integer.toString(port));
    env.put("FRESHET_SCHEMAS_DIR", FreshetFixture.TEST_SCHEMAS.toString());
    env.put("FRESHET_PG_SCHEMA", schema);
    env.put("FRESHET_REDIS_KEY_PREFIX", prefix);
    env.put("FRESHET_REDIS_URL", redisUrl);
    env.put("FRESHET_REDIS_TIMEOUT_MS", "300");
    env.put("FRESHET_HEALTH_INTERVAL_MS", "100");
    writer = MainProcess.start(env);
    assertTrue(writer.awaitOutput("freshet listening on", Duration.ofSeconds(60)), writer.output());
    return new Api(vertx, port);
  }

  private static void write(Api api, int age, Duration ago) {
    JsonObject row =
        new JsonObject()
            .put("user_id", 1)
            .put(
                "event_timestamp",
                Instant.now()
                    .minus(ago)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString())
            .put("age", age)
            .put("plan", "pro");
    Api.Response answer =
        api.post("/v1/ingest/profile", new JsonObject().put("rows", new JsonArray().add(row)));
    assertEquals(200, answer.status(), answer.body().toString());
  }

  /** What Redis holds for user 1's profile: its age, or null when there is no key. */
  private Integer redisAge(Vertx vertx) {
    Redis client = Redis.createClient(vertx, redis.url());
    try {
      Response held =
          client
              .send(Request.cmd(Command.GET).arg(new RedisKeys(prefix).record("profile", "1")))
              .await();
      if (held == null) {
        return null;
      }
      String text = held.toString();
      return new JsonObject(text.substring(text.indexOf('{'))).getInteger("age");
    } finally {
      client.close().await();
    }
  }

  private static JsonObject read(FreshetFixture f) {
    JsonObject result =
        f.online(
                new JsonObject()
                    .put("features", new JsonArray().add("profile:age"))
                    .put("entities", new JsonObject().put("user_id", new JsonArray().add(1))))
            .json()
            .getJsonArray("results")
            .getJsonObject(0);
    return new JsonObject()
        .put("age", result.getJsonObject("values").getInteger("profile:age"))
        .put("tier", result.getJsonObject("meta").getJsonObject("profile:age").getString("tier"));
  }

  private long logged(FreshetFixture f) {
    return f.freshet
        .pool()
        .query("SELECT count(*) FROM warm_repairs")
        .execute()
        .await()
        .iterator()
        .next()
        .getLong(0);
  }

  private static void checkWarm(FreshetFixture f) {
    f.freshet.tiers().warm().check().transform(ar -> Future.succeededFuture()).await();
  }

  @Test
  @Timeout(120)
  void writerKilledDuringRedisOutage_runningInstanceRepairsWhenRedisReturns(Vertx vertx) {
    Api api = startWriter(vertx, redis.url());
    other = FreshetFixture.startWith(vertx, options(redis.url()), new MutableClock(Instant.now()));
    write(api, 40, Duration.ofMinutes(2));
    assertEquals(40, redisAge(vertx));

    redis.pause();
    write(api, 41, Duration.ofMinutes(1));
    checkWarm(other);
    assertEquals(false, other.freshet.tiers().warm().isUp());
    assertEquals(1, other.freshet.tiers().warm().pendingRepairs(), "the writer's batch is logged");
    writer.kill();
    api.close();

    redis.resume();
    checkWarm(other);
    assertEquals(true, other.freshet.tiers().warm().isUp());
    assertEquals(0, logged(other));
    assertEquals(0, other.freshet.tiers().warm().pendingRepairs());
    other.clearHot();
    assertEquals(new JsonObject().put("age", 41).put("tier", "cold"), read(other));
    other.clearHot();
    assertEquals(new JsonObject().put("age", 41).put("tier", "warm"), read(other));
  }

  @Test
  @Timeout(120)
  void writerCutOffFromRedisAndKilled_instanceStartedAfterwards_dropsTheOldValueBeforeServing(
      Vertx vertx) {
    TcpProxy cuttable = new TcpProxy(vertx, redis.port());
    try {
      Api api = startWriter(vertx, "redis://127.0.0.1:" + cuttable.port() + "/0");
      write(api, 40, Duration.ofMinutes(2));
      assertEquals(40, redisAge(vertx));

      // Redis keeps the old value; the writer cannot reach it to replace it, and then dies.
      cuttable.cut();
      write(api, 41, Duration.ofMinutes(1));
      writer.kill();
      api.close();
      assertEquals(40, redisAge(vertx));
    } finally {
      cuttable.close();
    }

    other = FreshetFixture.startWith(vertx, options(redis.url()), new MutableClock(Instant.now()));
    assertNull(redisAge(vertx), "dropped at start, before the tier served anything");
    assertEquals(0, logged(other));
    other.clearHot();
    assertEquals(new JsonObject().put("age", 41).put("tier", "cold"), read(other));
    assertTrue(
        other.eventually(Duration.ofSeconds(5), () -> Integer.valueOf(41).equals(redisAge(vertx))),
        "refilled from the history");
  }

  @Test
  @Timeout(120)
  void writerCutOffFromRedisAndKilled_instanceThatSawNoOutage_repairsWithinTheGrace(Vertx vertx) {
    other =
        FreshetFixture.startWith(
            vertx,
            options(redis.url()).redisTimeout(Duration.ofMillis(100)),
            new MutableClock(Instant.now()));
    TcpProxy cuttable = new TcpProxy(vertx, redis.port());
    try {
      Api api = startWriter(vertx, "redis://127.0.0.1:" + cuttable.port() + "/0");
      write(api, 40, Duration.ofMinutes(2));
      cuttable.cut();
      write(api, 41, Duration.ofMinutes(1));
      writer.kill();
      api.close();
    } finally {
      cuttable.close();
    }
    assertEquals(40, redisAge(vertx));
    assertTrue(other.freshet.tiers().warm().isUp());

    // The grace is ten Redis timeouts (1 s here): a batch unsettled that long has no writer left.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (redisAge(vertx) != null && System.nanoTime() < deadline) {
      vertx.timer(200).await();
      checkWarm(other);
    }
    assertNull(redisAge(vertx), "the stale key was dropped");
    assertEquals(0, logged(other));
    other.clearHot();
    assertEquals(new JsonObject().put("age", 41).put("tier", "cold"), read(other));
  }
}
