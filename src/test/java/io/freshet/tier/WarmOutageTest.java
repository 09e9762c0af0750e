package io.freshet.tier;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MixedLoad;
import io.freshet.testing.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real redis-server of the test's own, killed, paused and brought back under Freshet. */
@ExtendWith(VertxExtension.class)
class WarmOutageTest {

  private RedisProcess redis;
  private FreshetFixture f;

  @BeforeEach
  void start() {
    redis = new RedisProcess();
  }

  /** Health probes are the test's to run, unless it gives an interval. */
  private void startFreshet(Vertx vertx, Duration healthInterval) {
    f = FreshetFixture.start(vertx, o -> o.redisUrl(redis.url()).healthInterval(healthInterval));
  }

  @AfterEach
  void stop() throws Exception {
    redis.closeAfter(f);
  }

  private void checkWarm() {
    f.freshet.tiers().warm().check().transform(ar -> Future.succeededFuture()).await();
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

  /** Redis paused until {@code meanwhile} is done: the tier down during it, up after it. */
  private void duringAnOutage(Runnable meanwhile) {
    redis.pause();
    checkWarm();
    assertEquals("DOWN", health().getJsonObject("tiers").getString("warm"));
    meanwhile.run();
    redis.resume();
    checkWarm();
    assertEquals("UP", health().getJsonObject("tiers").getString("warm"));
  }

  /**
   * With the hot tier cleared, {@code read} answers {@code value} from Postgres, and then, cleared
   * again, from Redis, which the first read filled.
   */
  private void assertFromColdThenWarm(Supplier<JsonObject> read, JsonObject value) {
    f.clearHot();
    assertEquals(value.copy().put("tier", "cold"), read.get());
    f.clearHot();
    assertEquals(value.copy().put("tier", "warm"), read.get());
  }

  private JsonObject health() {
    return f.api.get("/health").json();
  }

  @Test
  void redisKilled_degradedWritesAcknowledgedReadsFromCold_thenRecoversWithoutRestart(Vertx vertx) {
    startFreshet(vertx, Duration.ofHours(1));
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
    assertFromColdThenWarm(this::readAge, new JsonObject().put("age", 31));

    ingest(32, Duration.ofSeconds(10));
    f.clearHot();
    assertEquals(new JsonObject().put("age", 32).put("tier", "warm"), readAge());
  }

  @Test
  void redisPausedKeepingOldValue_writeDuringOutageIsNeverShadowedAfterRecovery(Vertx vertx) {
    startFreshet(vertx, Duration.ofHours(1));
    ingest(40, Duration.ofSeconds(30));
    f.clearHot();
    assertEquals(new JsonObject().put("age", 40).put("tier", "warm"), readAge());

    redis.pause();
    checkWarm();
    assertEquals("DOWN", health().getJsonObject("tiers").getString("warm"));
    ingest(41, Duration.ofSeconds(20));
    checkWarm();
    assertEquals(1, f.freshet.tiers().warm().pendingRepairs());

    redis.resume();
    checkWarm();
    assertEquals("UP", health().getJsonObject("tiers").getString("warm"));
    assertEquals(0, f.freshet.tiers().warm().pendingRepairs());
    assertFromColdThenWarm(this::readAge, new JsonObject().put("age", 41));
  }

  /**
   * A read copies a value from Postgres before an outage and offers it to Redis after: the repair
   * that ended the outage dropped the key of a batch acknowledged meanwhile, so the copy is older
   * than what was acknowledged. The warm tier refuses it, and reads see the newest value from every
   * tier.
   */
  @Test
  void copyReadBeforeAnOutage_offeredAfterIt_isRefused(Vertx vertx) {
    startFreshet(vertx, Duration.ofHours(1));
    ingest(50, Duration.ofSeconds(30));
    WarmTier warm = f.freshet.tiers().warm();
    TierKey key = new TierKey("profile", "1");
    long readEpoch = warm.epoch();
    List<FeatureRecord> copy = f.freshet.tiers().cold().latest(List.of(key)).await();

    duringAnOutage(() -> ingest(51, Duration.ofSeconds(20)));

    assertTrue(warm.offer(List.of(key), copy, readEpoch).failed());
    assertNull(warm.latest(List.of(key)).await().get(0), "the repair's drop stands");
    assertFromColdThenWarm(this::readAge, new JsonObject().put("age", 51));
  }

  /**
   * A rebuild reads an entity's generation before an outage and installs its tiles after it: an
   * event acknowledged during the outage never reached Redis, and the repair that ended the outage
   * dropped the entity's hash, so the generation is still the one the rebuild read. The install is
   * refused, and reads count the event from every tier.
   */
  @Test
  void tilesRebuiltBeforeAnOutage_installedAfterIt_areRefused(Vertx vertx) {
    startFreshetWithEvents(vertx);
    TileStore tiles = f.freshet.tiers().tiles();
    TierKey card = new TierKey("card_transactions", "7");
    long epoch = tiles.epoch();
    String generation =
        tiles.read(List.of(new TileStore.Query(card, List.of()))).await().get(0).generation();

    duringAnOutage(() -> ingestCardEvent("7", Duration.ofMinutes(5)));

    TileStore.Change before =
        new TileStore.Change(card, generation, List.of(), List.of(), 3_600_000, 0, 3);
    assertFalse(tiles.install(before, List.of(), epoch).await());
    assertEquals(new JsonObject().put("count", 1).put("tier", "cold"), readCount());
    f.clearHot();
    assertEquals(new JsonObject().put("count", 1).put("tier", "warm"), readCount());
  }

  /**
   * While the warm tier recovers from an outage (here held open: Redis pauses writes, so the
   * recovery's repair waits on its deletes), an event is ingested. Its tiles go to Redis as records
   * do then, so once the tier is up its card's tiles count it.
   */
  @Test
  @Timeout(60)
  void eventIngestedWhileTheTierRecovers_countedByTheTilesOnceUp(Vertx vertx) throws Exception {
    startFreshetWithEvents(vertx);
    ingestCardEvent("7", Duration.ofMinutes(5));
    assertEquals(new JsonObject().put("count", 1).put("tier", "cold"), readCount());
    f.clearHot();
    assertEquals(new JsonObject().put("count", 1).put("tier", "warm"), readCount());

    redis.pause();
    checkWarm();
    assertEquals("DOWN", health().getJsonObject("tiers").getString("warm"));
    ingestCardEvent("8", Duration.ofMinutes(4));
    redis.resume();
    Redis admin = Redis.createClient(vertx, redis.url());
    ExecutorService ingesting = Executors.newSingleThreadExecutor();
    try {
      admin.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(60_000).arg("WRITE")).await();
      Future<Void> recovered = f.freshet.tiers().warm().check();
      assertTrue(f.eventually(Duration.ofSeconds(10), f.freshet.tiers().warm()::takesWrites));
      java.util.concurrent.Future<?> acked =
          ingesting.submit(() -> ingestCardEvent("7", Duration.ofMinutes(3)));
      assertTrue(
          f.eventually(Duration.ofSeconds(10), () -> f.eventCount("card_transactions") == 3));
      assertFalse(f.freshet.tiers().warm().isUp(), "the repair is still held");
      admin.send(Request.cmd(Command.CLIENT).arg("UNPAUSE")).await();
      acked.get(10, TimeUnit.SECONDS);
      recovered.await();
    } finally {
      admin.send(Request.cmd(Command.CLIENT).arg("UNPAUSE")).await();
      admin.close();
      ingesting.shutdownNow();
    }
    assertEquals("UP", health().getJsonObject("tiers").getString("warm"));
    f.clearHot();
    assertEquals(new JsonObject().put("count", 2).put("tier", "warm"), readCount());
  }

  private void startFreshetWithEvents(Vertx vertx) {
    f =
        FreshetFixture.start(
            vertx,
            o ->
                o.redisUrl(redis.url())
                    .healthInterval(Duration.ofHours(1))
                    .schemasDir(FreshetFixture.EVENT_SCHEMAS));
  }

  private void ingestCardEvent(String card, Duration beforeT0) {
    f.ingest(
        "card_transactions",
        new JsonObject()
            .put("card_id", card)
            .put("event_timestamp", at(beforeT0))
            .put("amount", 3.0));
  }

  private JsonObject readCount() {
    String feature = "card_transactions:txn_count_1h";
    JsonObject r =
        f.online(
                new JsonObject()
                    .put("features", new JsonArray().add(feature))
                    .put("entities", new JsonObject().put("card_id", new JsonArray().add("7"))))
            .json()
            .getJsonArray("results")
            .getJsonObject(0);
    return new JsonObject()
        .put("count", r.getJsonObject("values").getInteger(feature))
        .put("tier", r.getJsonObject("meta").getJsonObject(feature).getString("tier"));
  }

  @Test
  @Timeout(120)
  void redisKilledUnderLoad_everyWriteAcknowledgedAndDurable_readsFromCold_recovers(Vertx vertx) {
    startFreshet(vertx, Duration.ofMillis(50));
    MixedLoad load = new MixedLoad(vertx, f.freshet.port(), 4, 2, false);
    long bypassed;
    long restarting;
    try {
      await(
          load, "every writer acknowledged", () -> load.eachWriter(20, 0, b -> b.status() == 200));

      long killed = System.nanoTime();
      redis.kill();
      await(load, "health said warm DOWN", () -> load.firstSeen("warm", "DOWN", killed) > 0);
      // Without the change feed no other instance's write can reach this hot tier: it is bypassed.
      await(load, "hot tier bypassed", () -> !f.freshet.tiers().hot().coherent());
      bypassed = System.nanoTime();
      await(
          load,
          "every writer acknowledged during the outage",
          () -> load.eachWriter(20, bypassed, b -> b.status() == 200));

      restarting = System.nanoTime();
      redis.start();
      await(load, "health said warm UP", () -> load.firstSeen("warm", "UP", restarting) > 0);
      await(load, "hot tier back in use", () -> f.freshet.tiers().hot().coherent());
      long back = System.nanoTime();
      await(
          load,
          "every writer acknowledged after recovery",
          () -> load.eachWriter(20, back, b -> b.status() == 200));
    } finally {
      load.close();
    }

    assertEquals(List.of(), load.violations());
    assertEquals(
        List.of("UP", "DOWN", "UP"),
        load.transitions("warm").stream().map(MixedLoad.Transition::state).toList());
    assertEquals(
        List.of("UP"), load.transitions("cold").stream().map(MixedLoad.Transition::state).toList());
    load.batches().forEach(b -> assertEquals(200, b.status(), "write: " + b));

    List<MixedLoad.Read> outageReads =
        load.reads().stream()
            .filter(r -> r.startNanos() > bypassed && r.endNanos() < restarting)
            .toList();
    assertTrue(!outageReads.isEmpty(), "no read ran during the outage");
    for (MixedLoad.Read r : outageReads) {
      assertEquals(200, r.status(), "read during the outage: " + r);
      assertEquals(Set.of("cold"), r.tiers(), "read during the outage: " + r);
    }

    assertEquals(
        load.acknowledgedRows(),
        MixedLoad.storedRows(vertx, f.options.pgUrl(), f.options.pgSchema()));
    f.clearHot();
    load.assertLatest(f, "warm");
  }

  private void await(MixedLoad load, String what, BooleanSupplier condition) {
    Duration within = Duration.ofSeconds(30);
    assertTrue(
        f.eventually(within, condition),
        () -> what + " within " + within + "; load violations: " + load.violations());
  }
}
