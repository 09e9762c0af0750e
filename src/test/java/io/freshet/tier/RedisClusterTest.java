package io.freshet.tier;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.Freshet;
import io.freshet.config.FreshetOptions;
import io.freshet.model.TierKey;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MixedLoad;
import io.freshet.testing.MutableClock;
import io.freshet.testing.RedisCluster;
import io.freshet.testing.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Freshet over a real Redis Cluster of three masters and three replicas (a new one each test):
 * reads and writes through every tier, newest wins, the whole cluster paused, a master killed under
 * load, slots moved under load, and a node that does not answer at start.
 */
@ExtendWith(VertxExtension.class)
class RedisClusterTest {

  private RedisCluster cluster;
  private FreshetFixture f;

  @BeforeEach
  void startCluster() {
    cluster = new RedisCluster();
  }

  @AfterEach
  void stop() {
    try {
      if (f != null) {
        for (RedisProcess node : cluster.nodes()) {
          node.resume();
        }
        f.close();
      }
    } finally {
      cluster.close();
    }
  }

  private void startFreshet(Vertx vertx, Duration healthInterval) {
    f =
        FreshetFixture.start(
            vertx,
            o -> o.redisUrl(cluster.url()).redisMode("cluster").healthInterval(healthInterval));
  }

  private void checkWarm() {
    f.freshet.tiers().warm().check().transform(ar -> Future.succeededFuture()).await();
  }

  private static JsonObject row(long user, int age, String eventTime) {
    return new JsonObject()
        .put("user_id", user)
        .put("event_timestamp", eventTime)
        .put("age", age)
        .put("plan", "pro");
  }

  /** Each user's age and the tier it came from, in one online read. */
  private List<JsonObject> read(List<Long> users) {
    JsonArray results =
        f.online(
                new JsonObject()
                    .put("features", new JsonArray().add("profile:age"))
                    .put("entities", new JsonObject().put("user_id", new JsonArray(users))))
            .json()
            .getJsonArray("results");
    List<JsonObject> cells = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      JsonObject r = results.getJsonObject(i);
      cells.add(
          new JsonObject()
              .put("age", r.getJsonObject("values").getValue("profile:age"))
              .put("tier", r.getJsonObject("meta").getJsonObject("profile:age").getValue("tier")));
    }
    return cells;
  }

  private static List<JsonObject> expected(List<Long> users, String tier) {
    List<JsonObject> cells = new ArrayList<>();
    users.forEach(u -> cells.add(new JsonObject().put("age", (int) (u % 100)).put("tier", tier)));
    return cells;
  }

  @Test
  void readsAndWrites_throughEveryTier_keysOnEveryMaster_oneEntityOneSlot(Vertx vertx) {
    startFreshet(vertx, Duration.ofHours(1));
    List<Long> users = new ArrayList<>();
    JsonArray rows = new JsonArray();
    for (long u = 1; u <= 300; u++) {
      users.add(u);
      rows.add(row(u, (int) (u % 100), at(Duration.ofSeconds(30))));
    }
    assertEquals(
        200,
        f.api.post("/v1/ingest/profile", new JsonObject().put("rows", rows)).status(),
        "ingest");

    assertEquals(expected(users, "hot"), read(users));
    f.readFrom("warm");
    assertEquals(expected(users, "warm"), read(users));
    f.readFrom("cold");
    assertEquals(expected(users, "cold"), read(users));
    f.clearHot();
    assertEquals(expected(users, "warm"), read(users), "the cold read filled Redis");

    Set<Integer> mastersHolding = new HashSet<>();
    for (RedisProcess master : cluster.masters()) {
      int keys = Integer.parseInt(RedisCluster.cli(master, "DBSIZE").strip());
      if (keys > 0) {
        mastersHolding.add(master.port());
      }
    }
    assertEquals(3, mastersHolding.size(), "300 entities spread over every master");
    String key = f.freshet.tiers().warm().redisKey(new TierKey("profile", "42"));
    assertEquals(key, f.options.redisKeyPrefix() + "{profile:42}");
    assertEquals(cluster.slotOf("{profile:42}"), cluster.slotOf(key));
    assertEquals(cluster.slotOf("profile:42"), cluster.slotOf(key));
  }

  @Test
  void newestWins_anOlderEventNeverReplacesANewerOne_inRedis(Vertx vertx) {
    startFreshet(vertx, Duration.ofHours(1));
    f.ingest("profile", row(7, 70, at(Duration.ofSeconds(10))));
    f.ingest("profile", row(7, 69, at(Duration.ofSeconds(20))));
    f.ingest("profile", row(8, 80, at(Duration.ofSeconds(20))));
    f.ingest("profile", row(8, 81, at(Duration.ofSeconds(10))));
    f.clearHot();
    assertEquals(
        List.of(
            new JsonObject().put("age", 70).put("tier", "warm"),
            new JsonObject().put("age", 81).put("tier", "warm")),
        read(List.of(7L, 8L)));
  }

  @Test
  void wholeClusterPaused_writesAcknowledged_readsFromCold_repairedWhenItAnswers(Vertx vertx) {
    startFreshet(vertx, Duration.ofHours(1));
    f.ingest("profile", row(5, 50, at(Duration.ofSeconds(30))));
    f.clearHot();
    assertEquals(List.of(new JsonObject().put("age", 50).put("tier", "warm")), read(List.of(5L)));

    cluster.nodes().forEach(RedisProcess::pause);
    f.ingest("profile", row(5, 51, at(Duration.ofSeconds(20))));
    checkWarm();
    assertEquals("DOWN", f.api.get("/health").json().getJsonObject("tiers").getString("warm"));
    f.clearHot();
    assertEquals(List.of(new JsonObject().put("age", 51).put("tier", "cold")), read(List.of(5L)));

    cluster.nodes().forEach(RedisProcess::resume);
    cluster.awaitReady();
    assertTrue(
        f.eventually(
            Duration.ofSeconds(10),
            () -> {
              checkWarm();
              return f.freshet.tiers().warm().isUp();
            }));
    assertEquals(0, f.freshet.tiers().warm().pendingRepairs());
    f.clearHot();
    assertEquals(List.of(new JsonObject().put("age", 51).put("tier", "cold")), read(List.of(5L)));
    f.clearHot();
    assertEquals(List.of(new JsonObject().put("age", 51).put("tier", "warm")), read(List.of(5L)));
  }

  @Test
  @Timeout(120)
  void masterKilledUnderLoad_failedOver_noWriteLost_readsFromColdMeanwhile(Vertx vertx) {
    startFreshet(vertx, Duration.ofMillis(50));
    RedisProcess victim =
        cluster.masterOf(
            f.freshet.tiers().warm().redisKey(new TierKey("profile", "" + MixedLoad.entity(0, 0))));
    // A user the load leaves alone, whose key the victim holds too.
    long quiet = 1;
    while (cluster.masterOf(f.freshet.tiers().warm().redisKey(new TierKey("profile", "" + quiet)))
        != victim) {
      quiet++;
    }
    f.ingest("profile", FreshetFixture.profile(quiet, at(Duration.ofSeconds(30)), 33));
    MixedLoad load = new MixedLoad(vertx, f.freshet.port(), 4, 2, false);
    long killed;
    long back;
    try {
      await(
          load, "every writer acknowledged", () -> load.eachWriter(20, 0, b -> b.status() == 200));
      killed = System.nanoTime();
      victim.kill();
      await(load, "health said warm DOWN", () -> load.firstSeen("warm", "DOWN", killed) > 0);
      // Past the hot tier, a read goes to Postgres while the master is away.
      f.clearHot();
      assertEquals(
          List.of(new JsonObject().put("age", 33).put("tier", "cold")), read(List.of(quiet)));
      await(
          load,
          "health said warm UP after the failover",
          () -> load.firstSeen("warm", "UP", killed) > 0);
      back = System.nanoTime();
      await(
          load,
          "every writer acknowledged after the failover",
          () -> load.eachWriter(20, back, b -> b.status() == 200));
    } finally {
      load.close();
    }

    assertEquals(List.of(), load.violations());
    load.batches().forEach(b -> assertEquals(200, b.status(), "write: " + b));
    for (MixedLoad.Read r : load.reads()) {
      assertEquals(200, r.status(), "read: " + r);
    }
    List<String> stored =
        new ArrayList<>(MixedLoad.storedRows(vertx, f.options.pgUrl(), f.options.pgSchema()));
    long quietUser = quiet;
    stored.removeIf(r -> r.startsWith(quietUser + " "));
    assertEquals(load.acknowledgedRows(), stored);
    f.clearHot();
    load.assertLatest(f, "warm");
  }

  @Test
  void replicaKilled_writesReachRedisAgainOnceTheClusterMarksItFailed(Vertx vertx) {
    startFreshet(vertx, Duration.ofHours(1));
    String key = f.freshet.tiers().warm().redisKey(new TierKey("profile", "9"));
    RedisProcess master = cluster.masterOf(key);
    cluster.replicaOf(master).kill();
    // A write can wait for a replica that no longer answers only until the cluster says it
    // failed; from then on a master without a replica is written without waiting.
    cluster.awaitReady();
    checkWarm();
    f.ingest("profile", row(9, 90, at(Duration.ofSeconds(10))));
    f.clearHot();
    assertEquals(List.of(new JsonObject().put("age", 90).put("tier", "warm")), read(List.of(9L)));
    assertTrue(RedisCluster.cli(master, "GET", key).contains("\"age\":90"));
  }

  @Test
  @Timeout(120)
  void slotsMovedUnderLoad_noErrorReachesAClient_everyValueTheNewest(Vertx vertx) {
    startFreshet(vertx, Duration.ofMillis(50));
    MixedLoad load = new MixedLoad(vertx, f.freshet.port(), 4, 2, false);
    try {
      await(
          load, "every writer acknowledged", () -> load.eachWriter(20, 0, b -> b.status() == 200));
      // One entity of each writer: every batch then meets a slot on the move.
      for (int w = 0; w < 4; w++) {
        String key =
            f.freshet.tiers().warm().redisKey(new TierKey("profile", "" + MixedLoad.entity(w, 0)));
        cluster.moveSlot(cluster.slotOf(key));
      }
      long moved = System.nanoTime();
      await(
          load,
          "every writer acknowledged after the moves",
          () -> load.eachWriter(20, moved, b -> b.status() == 200));
    } finally {
      load.close();
    }

    assertEquals(List.of(), load.violations());
    load.batches().forEach(b -> assertEquals(200, b.status(), "write: " + b));
    load.reads().forEach(r -> assertEquals(200, r.status(), "read: " + r));
    assertEquals(
        load.acknowledgedRows(),
        MixedLoad.storedRows(vertx, f.options.pgUrl(), f.options.pgSchema()));
    f.clearHot();
    load.assertLatest(f, "warm");
  }

  @Test
  void nodeThatDoesNotAnswerAtStart_startupErrorNamesIt(Vertx vertx) {
    int dead = FreshetFixture.freePort();
    FreshetOptions options =
        FreshetOptions.fromEnv(System.getenv())
            .httpHost("127.0.0.1")
            .httpPort(FreshetFixture.freePort())
            .schemasDir(FreshetFixture.TEST_SCHEMAS)
            .redisUrl(cluster.url() + ",redis://127.0.0.1:" + dead)
            .pgSchema("test_cluster_unreachable")
            .writeToken(null)
            .readToken(null)
            .validate();
    Throwable failure = startFailure(vertx, options);
    assertTrue(
        failure != null && failure.getMessage().contains("127.0.0.1:" + dead),
        "start failed naming the node: " + failure);
    assertTrue(failure.getMessage().startsWith("Redis Cluster node"), failure.getMessage());

    // Only the seed listed: a master the cluster names but that does not answer (killed, and
    // started against before its replica can take over) is named too.
    RedisProcess seed = cluster.nodes().get(0);
    RedisProcess master =
        cluster.masters().stream().filter(m -> m != seed).findFirst().orElseThrow();
    master.kill();
    Throwable masterDown = startFailure(vertx, options.redisUrl(seed.url()).redisMode("cluster"));
    assertTrue(
        masterDown != null && masterDown.getMessage().contains("127.0.0.1:" + master.port()),
        "start failed naming the master: " + masterDown);
  }

  private static Throwable startFailure(Vertx vertx, FreshetOptions options) {
    MutableClock clock = new MutableClock(FreshetFixture.T0);
    return Freshet.start(vertx, options, clock, clock::ticker)
        .transform(
            ar -> {
              if (ar.succeeded()) {
                ar.result().close().await();
              }
              return Future.succeededFuture(ar.cause());
            })
        .await();
  }

  private void await(MixedLoad load, String what, BooleanSupplier condition) {
    Duration within = Duration.ofSeconds(30);
    assertTrue(
        f.eventually(within, condition),
        () -> what + " within " + within + "; load violations: " + load.violations());
  }
}
