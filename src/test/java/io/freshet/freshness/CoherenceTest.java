package io.freshet.freshness;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.config.FreshetOptions;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two real instances over one Redis and one Postgres: A takes writes, B serves reads. */
@ExtendWith(VertxExtension.class)
class CoherenceTest {

  private static final Duration BOUND = Duration.ofSeconds(1);
  private FreshetFixture a;
  private FreshetFixture b;

  @BeforeEach
  void start(Vertx vertx) {
    a = FreshetFixture.start(vertx, o -> redis(o.feedHeartbeat(Duration.ofMillis(100))));
    b = a.startPeer();
  }

  /** The Redis both instances use: the suite's, unless a subclass gives another. */
  FreshetOptions redis(FreshetOptions options) {
    return options;
  }

  @AfterEach
  void stop() {
    b.stop();
    a.close();
  }

  private static JsonObject row(long user, int age, Duration beforeT0) {
    return new JsonObject()
        .put("user_id", user)
        .put("event_timestamp", at(beforeT0))
        .put("age", age)
        .put("plan", "pro");
  }

  private static JsonObject cell(FreshetFixture f, long user) {
    JsonObject r =
        f.online(
                new JsonObject()
                    .put("features", new JsonArray().add("profile:age"))
                    .put("entities", new JsonObject().put("user_id", new JsonArray().add(user))))
            .json()
            .getJsonArray("results")
            .getJsonObject(0);
    return new JsonObject()
        .put("age", r.getJsonObject("values").getValue("profile:age"))
        .put("tier", r.getJsonObject("meta").getJsonObject("profile:age").getValue("tier"));
  }

  @Test
  void writeOnA_readOnBWithWarmHotEntry_newValueWithinBound() {
    a.ingest("profile", row(1, 20, Duration.ofSeconds(30)));
    assertEquals(20, cell(b, 1).getInteger("age"));
    assertEquals("hot", cell(b, 1).getString("tier"));

    a.ingest("profile", row(1, 21, Duration.ofSeconds(20)));
    assertTrue(b.eventually(BOUND, () -> cell(b, 1).getInteger("age") == 21));
    assertEquals("hot", cell(b, 1).getString("tier"));
    String metrics = b.api.get("/metrics").body().toString();
    assertFalse(metrics.contains("freshet_change_feed_delay_seconds_count 0.0"), metrics);
  }

  @Test
  void sameMicrosecondOnTwoInstances_secondIsStampedLaterNotRefused() {
    // The two instances share one clock: both stamp the first write of this instant alike.
    JsonObject first = a.ingest("profile", row(4, 40, Duration.ofSeconds(5)));
    JsonObject second = b.ingest("profile", row(4, 41, Duration.ofSeconds(5)));
    assertEquals(a.clock.instant().toString(), first.getString("ingested_at"));
    assertTrue(
        Instant.parse(second.getString("ingested_at"))
            .isAfter(Instant.parse(first.getString("ingested_at"))),
        second.encode());
    assertEquals(2, a.historyCount("profile"));
    assertTrue(a.eventually(BOUND, () -> cell(a, 4).getInteger("age") == 41));
    assertEquals(41, cell(b, 4).getInteger("age"), "the later stamp wins everywhere");
  }

  @Test
  void olderWriteOnA_neverReplacesNewerHotValueOnB() {
    a.ingest("profile", row(2, 30, Duration.ofSeconds(10)));
    assertTrue(b.eventually(BOUND, () -> cell(b, 2).getInteger("age") == 30));
    a.ingest("profile", row(2, 29, Duration.ofSeconds(20)));
    a.ingest("profile", row(3, 1, Duration.ofSeconds(1)));
    assertTrue(b.eventually(BOUND, () -> cell(b, 3).getInteger("age") == 1));
    assertEquals(new JsonObject().put("age", 30).put("tier", "hot"), cell(b, 2));
  }

  @Test
  void lateEventOnA_afterBsEntryExpired_BStillServesTheNewer() {
    a.ingest("profile", row(6, 60, Duration.ofMinutes(1)));
    assertTrue(b.eventually(BOUND, () -> cell(b, 6).getInteger("age") == 60));
    // Both instances share the clock, so both hot entries expire; then a late event arrives.
    a.clock.advance(Duration.ofMinutes(2));
    a.ingest("profile", row(6, 59, Duration.ofMinutes(30)));
    a.ingest("profile", row(7, 1, Duration.ofSeconds(1)));
    assertTrue(b.eventually(BOUND, () -> cell(b, 7).getInteger("age") == 1), "B heard A");
    assertEquals(60, cell(b, 6).getInteger("age"));
    assertEquals(60, cell(a, 6).getInteger("age"));
    assertEquals(new JsonObject().put("age", 60).put("tier", "hot"), cell(b, 6), "once filled");
  }

  @Test
  void subscriptionLost_bypassesHotUntilResubscribed_neverServesStale() {
    a.ingest("profile", row(4, 40, Duration.ofSeconds(30)));
    assertEquals("hot", cell(b, 4).getString("tier"));

    assertEquals(2, b.killFeedSubscribers());
    assertTrue(b.eventually(BOUND, () -> !b.freshet.tiers().hot().coherent()));
    a.ingest("profile", row(4, 41, Duration.ofSeconds(20)));
    JsonObject duringLoss = cell(b, 4);
    assertEquals(41, duringLoss.getInteger("age"));

    assertTrue(b.eventually(Duration.ofSeconds(5), () -> b.freshet.tiers().hot().coherent()));
    assertEquals(41, cell(b, 4).getInteger("age"));
    assertTrue(b.eventually(BOUND, () -> "hot".equals(cell(b, 4).getString("tier"))));
  }

  @Test
  void readYourWrites_concurrentWritersAlwaysReadTheirOwnWriteOrNewer() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> stale = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        long user = 100 + w;
        stale.add(
            pool.submit(
                () -> {
                  int bad = 0;
                  for (int i = 1; i <= 25; i++) {
                    a.ingest("profile", row(user, i, Duration.ofSeconds(100 - i)));
                    if (cell(a, user).getInteger("age") < i) {
                      bad++;
                    }
                  }
                  return bad;
                }));
      }
      for (Future<Integer> writer : stale) {
        assertEquals(0, writer.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void freshness_reportsLagAndSurvivesRestart() {
    a.clock.set(FreshetFixture.T0);
    a.ingest("profile", row(5, 50, Duration.ofSeconds(90)));
    JsonObject ack = a.ingest("profile", row(6, 60, Duration.ofSeconds(120)));
    JsonObject expected =
        new JsonObject()
            .put("view", "profile")
            .put("last_event_timestamp", "2026-11-22T09:58:30Z")
            .put("last_ingested_at", ack.getString("ingested_at"))
            .put("lag_ms", 90_000)
            .put("status", "STALE")
            .put(
                "sla",
                new JsonObject()
                    .put("fresh_ms", 60_000)
                    .put("stale_ms", 300_000)
                    .put("on_rotten", "serve"));
    assertEquals(expected, view(a, "profile"));
    assertTrue(
        a.api
            .get("/metrics")
            .body()
            .toString()
            .contains("freshet_view_lag_seconds{view=\"profile\"} 90.0"));
    assertTrue(b.eventually(BOUND, () -> expected.equals(view(b, "profile"))));

    JsonObject empty = view(a, "device_stats");
    assertEquals("MISSING", empty.getString("status"));
    assertEquals(null, empty.getValue("lag_ms"));
    assertEquals(null, empty.getValue("last_event_timestamp"));

    b.stop();
    b = a.startPeer();
    assertEquals(expected, view(b, "profile"));
  }

  private static JsonObject view(FreshetFixture f, String name) {
    return f.api.get("/v1/freshness").json().getJsonArray("views").stream()
        .map(JsonObject.class::cast)
        .filter(v -> v.getString("view").equals(name))
        .findFirst()
        .orElseThrow();
  }
}
