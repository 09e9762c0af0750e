package io.freshet.read;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.TierKey;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class OnlineReadTiersTest {

  private static FreshetFixture f;
  private static long nextUser = 1;
  private long user;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @BeforeEach
  void newUser() {
    user = nextUser++;
    f.clock.set(FreshetFixture.T0);
  }

  private JsonObject read(String... features) {
    return f.online(
            new JsonObject()
                .put("features", new JsonArray(java.util.List.of((Object[]) features)))
                .put("entities", new JsonObject().put("user_id", new JsonArray().add(user))))
        .json();
  }

  private static JsonObject meta(JsonObject response, String feature) {
    return response
        .getJsonArray("results")
        .getJsonObject(0)
        .getJsonObject("meta")
        .getJsonObject(feature);
  }

  private static Object value(JsonObject response, String feature) {
    return response
        .getJsonArray("results")
        .getJsonObject(0)
        .getJsonObject("values")
        .getValue(feature);
  }

  @Test
  void read_afterIngest_servedFromHotWithTimestampsAndAge() {
    JsonObject ack =
        f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(30)), 41));
    assertEquals(1, ack.getInteger("accepted"));
    // The clock stands still in this class, so ingested_at is T0 plus the per-process bump.
    Instant ingested = Instant.parse(ack.getString("ingested_at"));
    assertTrue(
        !ingested.isBefore(FreshetFixture.T0)
            && ingested.isBefore(FreshetFixture.T0.plusMillis(1)));

    JsonObject r = read("profile:age", "profile:plan", "profile:score", "profile:active");
    assertEquals(41, value(r, "profile:age"));
    assertEquals("pro", value(r, "profile:plan"));
    assertEquals(1.25, value(r, "profile:score"));
    assertEquals(true, value(r, "profile:active"));
    JsonObject age = meta(r, "profile:age");
    assertEquals("2026-11-22T09:59:30Z", age.getString("event_timestamp"));
    assertEquals(30_000, age.getLong("age_ms"));
    assertEquals("FRESH", age.getString("status"));
    assertEquals("hot", age.getString("tier"));
  }

  @Test
  void read_hotMiss_servedFromWarmThenHot() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(5)), 30));
    f.clearHot();
    assertEquals("warm", meta(read("profile:age"), "profile:age").getString("tier"));
    assertEquals("hot", meta(read("profile:age"), "profile:age").getString("tier"));
  }

  @Test
  void read_hotEntryPastMaxLifetime_servedFromWarm() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(5)), 30));
    f.clock.advance(Duration.ofSeconds(59));
    assertEquals("hot", meta(read("profile:age"), "profile:age").getString("tier"));
    f.clock.advance(Duration.ofSeconds(2));
    assertEquals("warm", meta(read("profile:age"), "profile:age").getString("tier"));
  }

  @Test
  void read_lateEventAfterHotEntryExpired_newerValueStillServed() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofMinutes(1)), 41));
    f.clock.advance(Duration.ofMinutes(2));
    // The hot entry has expired; a late event for an earlier time arrives.
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofMinutes(30)), 12));
    JsonObject read = read("profile:age");
    assertEquals(41, value(read, "profile:age"));
    assertEquals("warm", meta(read, "profile:age").getString("tier"));
    JsonObject again = read("profile:age");
    assertEquals(41, value(again, "profile:age"));
    assertEquals("hot", meta(again, "profile:age").getString("tier"), "once filled");
  }

  @Test
  void read_afterIngestOfANewEntity_servedFromHot() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(10)), 19));
    JsonObject read = read("profile:age");
    assertEquals(19, value(read, "profile:age"));
    assertEquals("hot", meta(read, "profile:age").getString("tier"), "Redis held the write");
  }

  @Test
  void read_hotAndWarmMiss_servedFromColdAndFillsWarmAndHot() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(5)), 30));
    f.clearHot();
    f.clearWarm();
    String key = f.freshet.tiers().warm().redisKey(new TierKey("profile", Long.toString(user)));
    assertNull(redisGet(key));

    JsonObject cold = read("profile:age");
    assertEquals("cold", meta(cold, "profile:age").getString("tier"));
    assertEquals(30, value(cold, "profile:age"));
    assertEquals("hot", meta(read("profile:age"), "profile:age").getString("tier"));
    f.clearHot();
    assertEquals("warm", meta(read("profile:age"), "profile:age").getString("tier"));
    // The record as the cold tier read it: Postgres' own JSON text, whatever its spacing.
    String stored = redisGet(key);
    assertEquals(30, new JsonObject(stored.substring(stored.indexOf('{'))).getInteger("age"));
  }

  private String redisGet(String key) {
    var response =
        io.vertx.redis.client.Redis.createClient(f.vertx, f.options.redisUrl())
            .send(Request.cmd(Command.GET).arg(key))
            .await();
    return response == null ? null : response.toString();
  }

  @Test
  void ingest_olderEvent_doesNotOverwriteInAnyTier() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(10)), 50));
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(20)), 40));
    assertEquals(50, value(read("profile:age"), "profile:age"));
    f.clearHot();
    assertEquals(50, value(read("profile:age"), "profile:age"));
    f.clearHot();
    f.clearWarm();
    JsonObject cold = read("profile:age");
    assertEquals(50, value(cold, "profile:age"));
    assertEquals("2026-11-22T09:59:50Z", meta(cold, "profile:age").getString("event_timestamp"));
  }

  @Test
  void ingest_sameEventTimeLater_correctionWinsInEveryTier() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(10)), 50));
    f.clock.advance(Duration.ofMillis(1));
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(10)), 51));
    assertEquals(51, value(read("profile:age"), "profile:age"));
    f.clearHot();
    assertEquals(51, value(read("profile:age"), "profile:age"));
    f.clearHot();
    f.clearWarm();
    assertEquals(51, value(read("profile:age"), "profile:age"));
  }

  @Test
  void ingest_correctionUnderStillClock_stillOrdersAfterOriginal() {
    JsonObject first =
        f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(10)), 60));
    JsonObject second =
        f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(10)), 61));
    assertTrue(
        Instant.parse(second.getString("ingested_at"))
            .isAfter(Instant.parse(first.getString("ingested_at"))));
    f.clearHot();
    f.clearWarm();
    assertEquals(61, value(read("profile:age"), "profile:age"));
  }

  @Test
  void ingest_absentNullableFeature_storedAsNullNotKeptFromEarlier() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(20)), 20));
    f.ingest(
        "profile",
        new JsonObject()
            .put("user_id", user)
            .put("event_timestamp", at(Duration.ofSeconds(10)))
            .put("age", 21)
            .put("plan", "basic"));
    JsonObject r = read("profile:score", "profile:age");
    assertNull(value(r, "profile:score"));
    assertEquals("FRESH", meta(r, "profile:score").getString("status"));
    assertEquals(21, value(r, "profile:age"));
  }

  @Test
  void read_manyEntities_resultsInRequestOrderWithDuplicatesAndUnknowns() {
    long a = user;
    long b = nextUser++;
    f.ingest(
        "profile",
        FreshetFixture.profile(a, at(Duration.ofSeconds(1)), 1),
        FreshetFixture.profile(b, at(Duration.ofSeconds(1)), 2));
    f.clearHot();
    JsonObject r =
        f.online(
                new JsonObject()
                    .put("features", new JsonArray().add("profile:age"))
                    .put(
                        "entities",
                        new JsonObject()
                            .put("user_id", new JsonArray().add(b).add(999_999).add(a).add(b))))
            .json();
    JsonArray results = r.getJsonArray("results");
    assertEquals(4, results.size());
    assertEquals(b, results.getJsonObject(0).getJsonObject("entity").getLong("user_id"));
    assertEquals(2, results.getJsonObject(0).getJsonObject("values").getInteger("profile:age"));
    assertEquals(
        "MISSING",
        results
            .getJsonObject(1)
            .getJsonObject("meta")
            .getJsonObject("profile:age")
            .getString("status"));
    assertNull(
        results
            .getJsonObject(1)
            .getJsonObject("meta")
            .getJsonObject("profile:age")
            .getValue("tier"));
    assertEquals(1, results.getJsonObject(2).getJsonObject("values").getInteger("profile:age"));
    assertEquals(2, results.getJsonObject(3).getJsonObject("values").getInteger("profile:age"));
  }

  @Test
  void read_featureService_appliesExpressionTransformations() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofSeconds(10)), 40));
    f.ingest(
        "risk",
        new JsonObject()
            .put("user_id", user)
            .put("event_timestamp", at(Duration.ofSeconds(90)))
            .put("risk_score", 2.0));
    JsonObject r =
        f.online(
                new JsonObject()
                    .put("feature_service", "user_v1")
                    .put("entities", new JsonObject().put("user_id", new JsonArray().add(user))))
            .json();
    assertEquals(480, value(r, "age_months"));
    assertEquals(0.05, value(r, "risk_per_year"));
    JsonObject meta = meta(r, "risk_per_year");
    assertEquals("2026-11-22T09:58:30Z", meta.getString("event_timestamp"));
    assertEquals("STALE", meta.getString("status"));
  }

  @Test
  void read_transformationFailingOnRowData_nullValueAndCountedError() {
    f.ingest(
        "risk",
        new JsonObject()
            .put("user_id", user)
            .put("event_timestamp", at(Duration.ofSeconds(5)))
            .put("risk_score", 0.0));
    JsonObject r = read("risk_inverse");
    assertNull(value(r, "risk_inverse"));
    assertEquals("FRESH", meta(r, "risk_inverse").getString("status"));
    String metrics = f.api.get("/metrics").body().toString();
    assertTrue(
        metrics.contains("freshet_transform_errors_total{transformation=\"risk_inverse\"} 1.0"),
        metrics);
  }

  @Test
  void read_statusMeta_mapsEachFeatureToItsStatus() {
    f.ingest("profile", FreshetFixture.profile(user, at(Duration.ofMinutes(2)), 40));
    JsonObject r =
        f.online(
                new JsonObject()
                    .put("features", new JsonArray().add("profile:age").add("risk:risk_score"))
                    .put("meta", "status")
                    .put("entities", new JsonObject().put("user_id", new JsonArray().add(user))))
            .json();
    JsonObject meta = r.getJsonArray("results").getJsonObject(0).getJsonObject("meta");
    assertEquals(
        new JsonObject().put("profile:age", "STALE").put("risk:risk_score", "MISSING"), meta);
  }
}
