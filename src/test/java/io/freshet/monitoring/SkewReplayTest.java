package io.freshet.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.tier.RedisKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Skew replay on live reads of {@code replayed_v1} (every row replayed): reads of consistent tiers
 * replay to exactly what was served, and a Redis record changed behind Freshet's back is caught,
 * counted against the features it feeds, and shown as an example.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SkewReplayTest {

  private static final String SERVICE = "replayed_v1";
  private static final int USERS = 40;
  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
    List<JsonObject> profiles = new ArrayList<>();
    List<JsonObject> risks = new ArrayList<>();
    String at = FreshetFixture.at(Duration.ofSeconds(30));
    for (int user = 1; user <= USERS; user++) {
      profiles.add(FreshetFixture.profile(user, at, 20 + user));
      // Users past 30 have no risk record: MISSING values replay as MISSING.
      if (user <= 30) {
        risks.add(
            new JsonObject()
                .put("user_id", user)
                .put("event_timestamp", at)
                .put("risk_score", user / 10.0));
      }
    }
    f.ingest("profile", profiles.toArray(JsonObject[]::new));
    f.ingest("risk", risks.toArray(JsonObject[]::new));
    // Reads come after the writes' ingestion instants, as they would on a clock that moves.
    f.clock.advance(Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static void read(int... users) {
    JsonArray ids = new JsonArray();
    for (int user : users) {
      ids.add(user);
    }
    Api.Response r =
        f.online(
            new JsonObject()
                .put("feature_service", SERVICE)
                .put("entities", new JsonObject().put("user_id", ids)));
    assertEquals(200, r.status(), () -> r.body().toString());
  }

  private static JsonObject skewOnce(long rows) {
    JsonObject[] last = new JsonObject[1];
    assertTrue(
        f.eventually(
            Duration.ofSeconds(10),
            () -> {
              last[0] = f.api.get("/v1/monitoring/" + SERVICE + "/skew").json();
              return last[0].getLong("rows_checked") >= rows;
            }),
        () -> "replayed: " + last[0]);
    return last[0];
  }

  private static long mismatched(JsonObject skew, String feature) {
    for (Object item : skew.getJsonArray("features")) {
      if (((JsonObject) item).getString("name").equals(feature)) {
        return ((JsonObject) item).getLong("mismatched");
      }
    }
    return -1;
  }

  @Test
  @Order(1)
  void consistentTiers_everyReplayMatches() {
    int[] all = new int[USERS];
    for (int i = 0; i < USERS; i++) {
      all[i] = i + 1;
    }
    read(all);
    f.readFrom("warm");
    read(all);
    f.readFrom("cold");
    read(all);
    JsonObject skew = skewOnce(3 * USERS);
    assertEquals(3 * USERS, skew.getLong("rows_checked"));
    assertEquals(0, skew.getLong("rows_mismatched"), skew::encode);
    assertEquals(5, skew.getJsonArray("features").size());
    for (Object item : skew.getJsonArray("features")) {
      assertEquals(3 * USERS, ((JsonObject) item).getLong("checked"));
      assertEquals(0, ((JsonObject) item).getLong("mismatched"));
    }
    assertEquals(0, skew.getJsonArray("examples").size());
    assertEquals(3.0 * USERS, f.metric("freshet_skew_checked_total{service=\"" + SERVICE + "\"}"));
  }

  @Test
  @Order(2)
  void redisRecordCorruptedBehindFreshetsBack_caught() {
    // User 1's key in Redis now holds user 2's record (same times, age 22 instead of 21).
    Redis redis = Redis.createClient(f.vertx, f.options.redisUrl());
    try {
      RedisKeys keys = new RedisKeys(f.options.redisKeyPrefix());
      String other =
          redis.send(Request.cmd(Command.GET).arg(keys.record("profile", "2"))).await().toString();
      redis.send(Request.cmd(Command.SET).arg(keys.record("profile", "1")).arg(other)).await();
    } finally {
      redis.close().await();
    }
    f.clearHot();
    read(1);
    JsonObject skew = skewOnce(3 * USERS + 1);
    assertEquals(1, skew.getLong("rows_mismatched"), skew::encode);
    assertEquals(1, mismatched(skew, "profile:age"));
    assertEquals(1, mismatched(skew, "age_months"));
    assertEquals(1, mismatched(skew, "risk_per_year"));
    assertEquals(0, mismatched(skew, "profile:plan"));
    assertEquals(0, mismatched(skew, "risk:risk_score"));
    JsonObject example =
        skew.getJsonArray("examples").stream()
            .map(JsonObject.class::cast)
            .filter(e -> e.getString("feature").equals("profile:age"))
            .findFirst()
            .orElseThrow();
    assertEquals(3, skew.getJsonArray("examples").size());
    assertEquals(new JsonObject().put("user_id", 1), example.getJsonObject("entity"));
    assertEquals(22, example.getInteger("served"));
    assertEquals(21, example.getInteger("replayed"));
    assertEquals("FRESH", example.getString("served_status"));
    assertEquals(FreshetFixture.T0.plusSeconds(1).toString(), example.getString("served_at"));
    assertEquals(
        1.0,
        f.metric(
            "freshet_skew_mismatched_total{feature=\"profile:age\",service=\"" + SERVICE + "\"}"));
  }

  @Test
  @Order(3)
  void unknownService_404() {
    assertEquals(404, f.api.get("/v1/monitoring/nope/skew").status());
  }
}
