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
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tiles lost with Redis's data (FLUSHDB, a restart) or left behind by a write Redis did not take
 * are rebuilt from Postgres, and the values do not change: against a redis-server of the test's
 * own, which it flushes, kills and pauses; and what a write trims from them.
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

  private Response redis(Request request) {
    Redis client = Redis.createClient(f.vertx, redis.url());
    try {
      return client.send(request).await();
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

    redis(Request.cmd(Command.FLUSHDB));
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

  /** An eviction (allkeys-lru) takes one entity's tiles whole, and leaves the others'. */
  @Test
  void evictedTiles_ofOneEntity_areRebuilt_theOthersReadFromRedis() {
    history(2);
    List<JsonObject> before = readAll(2);
    assertEquals("warm", tier(1));
    redis(Request.cmd(Command.DEL).arg(tilesKey("card_transactions", 1)));
    assertEquals("cold", tier(1));
    assertEquals("warm", tier(2));
    f.clearHot();
    assertEquals(before, readAll(2));
    assertEquals("warm", tier(1));
  }

  /**
   * A write trims the tiles that left every window (the view's longest, an hour, plus a minute's
   * margin), by name when the minutes since the last trim are fewer than the hash's fields, else by
   * looking at each field; what is left still answers every window exactly.
   */
  @Test
  void write_trimsTilesPastEveryWindow_andLeavesTheWindowsExact() {
    List<JsonObject> events = new ArrayList<>();
    for (int minute = 60; minute >= 1; minute--) {
      events.add(decline(7, T0.minus(Duration.ofMinutes(minute))));
    }
    f.ingest("card_declines", events.toArray(new JsonObject[0]));
    assertEquals(60, declines(7), "read from Postgres, which builds the tiles");
    Set<String> built = tileFields(7);
    assertEquals(61, built.size(), "a tile for each minute of 09:00-09:59 and for hour 09");
    assertTrue(built.contains("h" + T0.minus(Duration.ofHours(1)).getEpochSecond() / 3600));

    // 10:15: trimmed before 09:14 (10:15 less 61 minutes), 15 minutes among 61 fields: by name.
    f.clock.set(T0.plus(Duration.ofMinutes(15)));
    f.ingest("card_declines", decline(7, T0.plus(Duration.ofMinutes(14))));
    Set<String> trimmed = tileFields(7);
    for (int minute = 60; minute >= 1; minute--) {
      long index = T0.minus(Duration.ofMinutes(minute)).getEpochSecond() / 60;
      assertEquals(minute <= 46, trimmed.contains("m" + index), "minute tile " + index);
    }
    assertTrue(trimmed.contains("m" + T0.plus(Duration.ofMinutes(14)).getEpochSecond() / 60));
    assertEquals(46 + 1 + 2, trimmed.size(), "46 minutes, the new one, hours 09 and 10");
    assertEquals("warm", declinesTier(7));
    assertEquals(45 + 1, declines(7), "09:15-09:59 and 10:14");

    // 13:15: 180 minutes since the last trim against 49 fields: each field looked at.
    Instant later = T0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(15));
    f.clock.set(later);
    f.ingest("card_declines", decline(7, later.minus(Duration.ofSeconds(30))));
    assertEquals(
        Set.of(
            "m" + later.minus(Duration.ofSeconds(30)).getEpochSecond() / 60,
            "h" + later.getEpochSecond() / 3600),
        tileFields(7));
    assertEquals("warm", declinesTier(7));
    assertEquals(1, declines(7));
    long ttl = redis(Request.cmd(Command.PTTL).arg(tilesKey("card_declines", 7))).toLong();
    assertTrue(ttl > 7_100_000 && ttl <= 7_200_000, "the longest window and an hour: " + ttl);
  }

  private static JsonObject decline(long card, Instant at) {
    return new JsonObject()
        .put("card_id", card)
        .put("event_timestamp", at.toString())
        .put("reason", "r");
  }

  private long declines(long card) {
    return values(read(f, card, "card_declines:declines_1h")).getLong("card_declines:declines_1h");
  }

  private String declinesTier(long card) {
    f.clearHot();
    return meta(read(f, card, "card_declines:declines_1h"), "card_declines:declines_1h")
        .getString("tier");
  }

  private String tilesKey(String view, long card) {
    var found = redis(Request.cmd(Command.KEYS).arg("*{" + view + ":" + card + "}~tileset"));
    assertEquals(1, found.size(), "one hash of tiles for the entity");
    return found.get(0).toString();
  }

  /** The tile fields of the card's hash, without its state (generation, built, trim point). */
  private Set<String> tileFields(long card) {
    Set<String> fields = new HashSet<>();
    redis(Request.cmd(Command.HKEYS).arg(tilesKey("card_declines", card)))
        .forEach(field -> fields.add(field.toString()));
    assertTrue(fields.remove("s"), fields.toString());
    return fields;
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
