package io.freshet.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Statuses at the exact SLA and ttl boundaries, with the clock set to the microsecond. */
@ExtendWith(VertxExtension.class)
class FreshnessStatusTest {

  private static final Duration MICRO = Duration.ofNanos(1000);
  private static final Instant EVENT = FreshetFixture.T0;
  private static FreshetFixture f;
  private static long nextUser = 1;
  private long user;

  @BeforeAll
  static void start(Vertx vertx) {
    // Hot entries must outlive the clock jumps below, so each tier is the one asked for.
    f = FreshetFixture.start(vertx, o -> o.hotMaxLifetime(Duration.ofDays(7)));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @BeforeEach
  void ingestAtEvent() {
    user = nextUser++;
    f.clock.set(EVENT);
    f.ingest(
        "profile",
        new JsonObject()
            .put("user_id", user)
            .put("event_timestamp", EVENT.toString())
            .put("age", 40)
            .put("plan", "pro"));
    f.ingest(
        "risk",
        new JsonObject()
            .put("user_id", user)
            .put("event_timestamp", EVENT.toString())
            .put("risk_score", 4.0));
    f.ingest(
        "limits",
        new JsonObject()
            .put("user_id", user)
            .put("event_timestamp", EVENT.toString())
            .put("daily_limit", 500));
  }

  private Api.Response read(String... features) {
    return f.online(
        new JsonObject()
            .put("features", new JsonArray(List.of((Object[]) features)))
            .put("entities", new JsonObject().put("user_id", new JsonArray().add(user))));
  }

  private static JsonObject result(Api.Response response) {
    return response.json().getJsonArray("results").getJsonObject(0);
  }

  static List<Arguments> profileAges() {
    return List.of(
        Arguments.of(Duration.ZERO, "FRESH"),
        Arguments.of(Duration.ofMinutes(1), "FRESH"),
        Arguments.of(Duration.ofMinutes(1).plus(MICRO), "STALE"),
        Arguments.of(Duration.ofMinutes(5), "STALE"),
        Arguments.of(Duration.ofMinutes(5).plus(MICRO), "ROTTEN"),
        Arguments.of(Duration.ofHours(1), "ROTTEN"),
        Arguments.of(Duration.ofHours(1).plus(MICRO), "MISSING"));
  }

  @ParameterizedTest(name = "age {0} -> {1}")
  @MethodSource("profileAges")
  void read_atBoundary_classifiedIdenticallyFromEveryTier(Duration age, String status) {
    f.clock.set(EVENT.plus(age));
    for (String tier : List.of("hot", "warm", "cold")) {
      f.readFrom(tier);
      JsonObject r = result(read("profile:age"));
      JsonObject meta = r.getJsonObject("meta").getJsonObject("profile:age");
      assertEquals(status, meta.getString("status"), tier);
      if (status.equals("MISSING")) {
        assertNull(r.getJsonObject("values").getValue("profile:age"));
        assertNull(meta.getValue("event_timestamp"));
        assertNull(meta.getValue("age_ms"));
        assertNull(meta.getValue("tier"));
      } else {
        assertEquals(40, r.getJsonObject("values").getInteger("profile:age"), tier);
        assertEquals(age.toMillis(), meta.getLong("age_ms"));
        assertEquals(EVENT.toString(), meta.getString("event_timestamp"));
        assertEquals(tier, meta.getString("tier"));
      }
    }
  }

  static List<Arguments> policyBoundaries() {
    Duration fresh = Duration.ofMinutes(1);
    Duration stale = Duration.ofMinutes(5);
    List<Arguments> cases = new java.util.ArrayList<>();
    for (String[] view :
        new String[][] {
          {"profile:age", "serve", "3600"},
          {"risk:risk_score", "nullify", "3600"},
          {"limits:daily_limit", "reject", "600"}
        }) {
      Duration ttl = Duration.ofSeconds(Long.parseLong(view[2]));
      String rotten = view[1].equals("reject") ? "409" : "ROTTEN";
      cases.add(Arguments.of(view[0], view[1], fresh, "FRESH"));
      cases.add(Arguments.of(view[0], view[1], fresh.plus(MICRO), "STALE"));
      cases.add(Arguments.of(view[0], view[1], stale, "STALE"));
      cases.add(Arguments.of(view[0], view[1], stale.plus(MICRO), rotten));
      cases.add(Arguments.of(view[0], view[1], ttl, rotten));
      cases.add(Arguments.of(view[0], view[1], ttl.plus(MICRO), "MISSING"));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} ({1}) at age {2} -> {3}")
  @MethodSource("policyBoundaries")
  void read_everyPolicyAtEveryBoundary(
      String feature, String policy, Duration age, String outcome) {
    f.clock.set(EVENT.plus(age));
    Api.Response r = read(feature);
    if (outcome.equals("409")) {
      assertEquals(409, r.status());
      assertEquals("freshness_violated", r.error());
      return;
    }
    assertEquals(200, r.status());
    JsonObject result = result(r);
    assertEquals(outcome, result.getJsonObject("meta").getJsonObject(feature).getString("status"));
    boolean valueExpected =
        !outcome.equals("MISSING") && !(outcome.equals("ROTTEN") && policy.equals("nullify"));
    assertEquals(valueExpected, result.getJsonObject("values").getValue(feature) != null);
  }

  @Test
  void read_eventSlightlyInFuture_ageZeroAndFresh() {
    f.clock.set(EVENT.minusSeconds(90));
    JsonObject meta =
        result(read("profile:age")).getJsonObject("meta").getJsonObject("profile:age");
    assertEquals(0, meta.getLong("age_ms"));
    assertEquals("FRESH", meta.getString("status"));
  }

  @Test
  void read_nullifyPolicyRotten_nullValueWithRealMeta() {
    f.clock.set(EVENT.plus(Duration.ofMinutes(5)).plus(MICRO));
    JsonObject r = result(read("risk:risk_score", "risk_per_year"));
    assertNull(r.getJsonObject("values").getValue("risk:risk_score"));
    JsonObject meta = r.getJsonObject("meta").getJsonObject("risk:risk_score");
    assertEquals("ROTTEN", meta.getString("status"));
    assertEquals(EVENT.toString(), meta.getString("event_timestamp"));
    assertEquals(300_000, meta.getLong("age_ms"));
    assertEquals("hot", meta.getString("tier"));
    assertNull(r.getJsonObject("values").getValue("risk_per_year"));
    assertEquals(
        "ROTTEN", r.getJsonObject("meta").getJsonObject("risk_per_year").getString("status"));
  }

  @Test
  void read_nullifyPolicyStale_valueServed() {
    f.clock.set(EVENT.plus(Duration.ofMinutes(5)));
    JsonObject r = result(read("risk:risk_score", "risk_per_year"));
    assertEquals(4.0, r.getJsonObject("values").getDouble("risk:risk_score"));
    assertEquals(0.1, r.getJsonObject("values").getDouble("risk_per_year"));
    assertEquals(
        "STALE", r.getJsonObject("meta").getJsonObject("risk_per_year").getString("status"));
  }

  @Test
  void read_rejectPolicyRotten_conflictNamingEntityFeatureAndAge() {
    f.clock.set(EVENT.plus(Duration.ofMinutes(5)).plusMillis(1));
    Api.Response r = read("profile:age", "limits:daily_limit");
    assertEquals(409, r.status());
    assertEquals("freshness_violated", r.error());
    String metrics = f.api.get("/metrics").body().toString();
    assertTrue(
        metrics.matches("(?s).*freshet_sla_rejections_total\\{view=\"limits\"} [1-9].*"), metrics);
    assertEquals(
        new JsonArray()
            .add(
                new JsonObject()
                    .put("entity", new JsonObject().put("user_id", user))
                    .put("feature", "limits:daily_limit")
                    .put("age_ms", 300_001)),
        r.details());
  }

  @Test
  void read_rejectPolicyAtStaleBoundary_served() {
    f.clock.set(EVENT.plus(Duration.ofMinutes(5)));
    Api.Response r = read("limits:daily_limit");
    assertEquals(200, r.status());
    assertEquals(500, result(r).getJsonObject("values").getInteger("limits:daily_limit"));
  }

  @Test
  void read_rejectPolicyBeyondTtl_missingNotRejected() {
    f.clock.set(EVENT.plus(Duration.ofMinutes(10)).plus(MICRO));
    Api.Response r = read("limits:daily_limit");
    assertEquals(200, r.status());
    assertEquals(
        "MISSING",
        result(r).getJsonObject("meta").getJsonObject("limits:daily_limit").getString("status"));
  }

  @Test
  void read_transformation_takesOldestInputTimeAndWorstStatus() {
    f.clock.set(EVENT.plus(Duration.ofMinutes(2)));
    f.ingest(
        "profile",
        new JsonObject()
            .put("user_id", user)
            .put("event_timestamp", EVENT.plus(Duration.ofMinutes(2)).toString())
            .put("age", 50)
            .put("plan", "pro"));
    JsonObject r = result(read("risk_per_year", "profile:age"));
    JsonObject meta = r.getJsonObject("meta").getJsonObject("risk_per_year");
    assertEquals(EVENT.toString(), meta.getString("event_timestamp"));
    assertEquals(120_000, meta.getLong("age_ms"));
    assertEquals("STALE", meta.getString("status"));
    assertEquals("FRESH", r.getJsonObject("meta").getJsonObject("profile:age").getString("status"));
    assertEquals(0.08, r.getJsonObject("values").getDouble("risk_per_year"));
  }
}
