package io.freshet.tiles;

import static io.freshet.tiles.OnlineAggregationTest.SCHEMAS;
import static io.freshet.tiles.OnlineAggregationTest.T0;
import static io.freshet.tiles.OnlineAggregationTest.allOfCardTransactions;
import static io.freshet.tiles.OnlineAggregationTest.meta;
import static io.freshet.tiles.OnlineAggregationTest.read;
import static io.freshet.tiles.OnlineAggregationTest.txn;
import static io.freshet.tiles.OnlineAggregationTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.FreshetFixture;
import io.freshet.testing.RedisProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tiles lost with Redis's data (FLUSHDB, a restart) or left behind by a write Redis did not take
 * are rebuilt from Postgres, and the values do not change: against a redis-server of the test's
 * own, which it flushes, kills and pauses.
 */
@ExtendWith(VertxExtension.class)
class TileRebuildTest {

  private RedisProcess redis;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    redis = new RedisProcess();
    f = FreshetFixture.start(vertx, o -> o.redisUrl(redis.url()).schemasDir(SCHEMAS));
  }

  @AfterEach
  void stop() throws Exception {
    redis.closeAfter(f);
  }

  private void checkWarm() {
    f.freshet.tiers().warm().check().transform(ar -> Future.succeededFuture()).await();
  }

  private void redisCommand(Request request) {
    Redis client = Redis.createClient(f.vertx, redis.url());
    try {
      client.send(request).await();
    } finally {
      client.close();
    }
  }

  private List<JsonObject> readAll(int cards) {
    List<JsonObject> values = new ArrayList<>();
    for (long card = 1; card <= cards; card++) {
      values.add(values(read(f, card, allOfCardTransactions())));
    }
    return values;
  }

  /** The tier below the hot one that answers now. */
  private String tier(long card) {
    f.clearHot();
    String feature = allOfCardTransactions()[0];
    return meta(read(f, card, feature), feature).getString("tier");
  }

  private void history(int cards) {
    Random random = new Random(19);
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      long card = 1 + random.nextInt(cards);
      events.add(
          txn(
              card,
              T0.minus(Duration.ofSeconds(random.nextInt(32 * 24 * 3600))),
              random.nextInt(10_000) / 7.0,
              "c" + random.nextInt(9),
              random.nextBoolean() ? null : (long) random.nextInt(50)));
    }
    for (int from = 0; from < events.size(); from += 500) {
      f.ingest("card_transactions", events.subList(from, from + 500).toArray(new JsonObject[0]));
    }
  }

  @Test
  void flushdb_thenRestart_tilesRebuiltFromPostgres_valuesUnchanged() {
    history(5);
    List<JsonObject> before = readAll(5);
    f.clearHot();
    assertEquals(before, readAll(5), "from Redis's tiles, as written by ingest");
    assertEquals("warm", tier(1));

    redisCommand(Request.cmd(Command.FLUSHDB));
    f.clearHot();
    assertEquals("cold", tier(1));
    assertEquals(before, readAll(5));
    f.clearHot();
    assertEquals("warm", tier(2));
    assertEquals(before, readAll(5));

    redis.kill();
    redis.start();
    checkWarm();
    checkWarm();
    f.clearHot();
    assertEquals(before, readAll(5));
    f.clearHot();
    assertEquals("warm", tier(3));
    assertEquals(before, readAll(5));
  }

  /** An eviction (allkeys-lru) takes one group of tiles and leaves the marker saying built. */
  @Test
  void evictedTileGroup_isNoticed_andRebuilt_neverCountedWithout() {
    history(1);
    List<JsonObject> before = readAll(1);
    assertEquals("warm", tier(1));
    Redis client = Redis.createClient(f.vertx, redis.url());
    try {
      var keys = client.send(Request.cmd(Command.KEYS).arg("*~tiles:d*")).await();
      assertTrue(keys.size() > 0, "day tiles in Redis");
      client.send(Request.cmd(Command.DEL).arg(keys.get(0).toString())).await();
    } finally {
      client.close();
    }
    assertEquals("cold", tier(1));
    f.clearHot();
    assertEquals(before, readAll(1));
    assertEquals("warm", tier(1));
    f.clearHot();
    assertEquals(before, readAll(1));
  }

  @Test
  void writeRedisDidNotTake_isRepaired_neverServedWithoutIt() {
    history(2);
    f.clearHot();
    readAll(2);
    assertEquals("warm", tier(1));
    JsonObject before = values(read(f, 1, allOfCardTransactions()));

    redis.pause();
    checkWarm();
    f.ingest("card_transactions", txn(1, T0.minus(Duration.ofMinutes(10)), 1, "late", 1L));
    f.clearHot();
    JsonObject during = values(read(f, 1, allOfCardTransactions()));
    assertEquals(
        before.getLong("card_transactions:txn_count_1h") + 1,
        during.getLong("card_transactions:txn_count_1h"));
    assertEquals("cold", tier(1));

    redis.resume();
    checkWarm();
    f.clearHot();
    assertEquals(during, values(read(f, 1, allOfCardTransactions())));
    f.clearHot();
    assertEquals("warm", tier(1));
    assertEquals(during, values(read(f, 1, allOfCardTransactions())));
  }
}
