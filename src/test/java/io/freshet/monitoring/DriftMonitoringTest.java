package io.freshet.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drift end to end: a training snapshot's profile becomes {@code watched_v1}'s baseline; served
 * values drawn from the same distribution, read through two instances, stay STABLE; a stream
 * shifted by one standard deviation with a category the baseline never saw turns BROKEN; two
 * snapshots compare the same way offline.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftMonitoringTest {

  private static final String SERVICE = "watched_v1";
  private static final int USERS = 1000;
  private static FreshetFixture f;
  private static FreshetFixture peer;
  private static String baselineSnapshot;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
    peer = f.startPeer();
    ingest(1, 0.0, 0.0, new Random(1));
    baselineSnapshot = snapshot(SERVICE, 1);
  }

  @AfterAll
  static void stop() {
    peer.stop();
    f.close();
  }

  /**
   * {@link #USERS} profiles from {@code first} on, 30 s before now: age ~ N(40 + shift·10, 10),
   * score ~ N(0, 2), plan "pro", or "basic" with probability {@code basicShare}.
   */
  private static void ingest(int first, double shift, double basicShare, Random random) {
    String at = f.clock.instant().minus(Duration.ofSeconds(30)).toString();
    List<JsonObject> rows = new ArrayList<>();
    for (int user = first; user < first + USERS; user++) {
      long age = Math.max(0, Math.min(150, Math.round(40 + 10 * (shift + random.nextGaussian()))));
      double score = Math.max(-10, Math.min(10, Math.round(200 * random.nextGaussian()) / 100.0));
      rows.add(
          new JsonObject()
              .put("user_id", user)
              .put("event_timestamp", at)
              .put("age", age)
              .put("plan", random.nextDouble() < basicShare ? "basic" : "pro")
              .put("score", score)
              .put("active", true));
    }
    f.ingest("profile", rows.toArray(JsonObject[]::new));
  }

  /** A snapshot of {@code service}'s features, or of {@code profile:age} alone when null. */
  private static String snapshot(String service, int first) {
    return service != null
        ? snapshotOf(new JsonObject().put("feature_service", service), first)
        : snapshotOf(new JsonObject().put("features", new JsonArray().add("profile:age")), first);
  }

  /** A snapshot of {@code selection} for {@link #USERS} users from {@code first}, as of now. */
  private static String snapshotOf(JsonObject selection, int first) {
    JsonArray rows = new JsonArray();
    String now = f.clock.instant().toString();
    for (int user = first; user < first + USERS; user++) {
      rows.add(new JsonObject().put("user_id", user).put("timestamp", now));
    }
    Api.Response r = f.api.post("/v1/features/historical", selection.copy().put("rows", rows));
    assertEquals(200, r.status(), () -> r.body().toString());
    return r.snapshotId();
  }

  /** Reads users {@code first ..} through {@code via}, 250 at a time. */
  private static void read(FreshetFixture via, int first, int count) {
    for (int from = first; from < first + count; from += 250) {
      JsonArray ids = new JsonArray();
      for (int user = from; user < Math.min(first + count, from + 250); user++) {
        ids.add(user);
      }
      Api.Response r =
          via.online(
              new JsonObject()
                  .put("feature_service", SERVICE)
                  .put("entities", new JsonObject().put("user_id", ids)));
      assertEquals(200, r.status(), () -> r.body().toString());
    }
  }

  private static Api.Response putBaseline(String service, Object snapshotId) {
    return f.api.send(
        HttpMethod.PUT,
        "/v1/monitoring/" + service + "/baseline",
        "application/json",
        new JsonObject().put("snapshot_id", snapshotId).toBuffer(),
        Map.of());
  }

  private static JsonObject drift(String query) {
    Api.Response r = f.api.get("/v1/monitoring/" + SERVICE + "/drift" + query);
    assertEquals(200, r.status(), () -> r.body().toString());
    return r.json();
  }

  /** Drift once every instance's counts reached {@code samples}. */
  private static JsonObject driftWith(long samples) {
    JsonObject[] last = new JsonObject[1];
    assertTrue(
        f.eventually(
            Duration.ofSeconds(10),
            () -> {
              peer.freshet.monitor().flush().await();
              last[0] = drift("");
              return last[0].getLong("samples") == samples;
            }),
        () -> "samples: " + last[0]);
    return last[0];
  }

  private static JsonObject feature(JsonObject drift, String name) {
    for (Object item : drift.getJsonArray("features")) {
      if (((JsonObject) item).getString("name").equals(name)) {
        return (JsonObject) item;
      }
    }
    throw new AssertionError("no feature " + name + " in " + drift.encode());
  }

  /** A series of {@code GET /metrics} by name and the labels it must carry, NaN if absent. */
  private static double metric(String name, String... labels) {
    String text = f.api.get("/metrics").body().toString();
    Matcher line = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    while (line.find()) {
      boolean all = true;
      for (String label : labels) {
        all &= line.group(1).contains(label);
      }
      if (all) {
        return Double.parseDouble(line.group(2));
      }
    }
    return Double.NaN;
  }

  @Test
  @Order(1)
  void manifest_profilesEveryColumn() {
    JsonObject profile =
        f.api.get("/v1/snapshots/" + baselineSnapshot).json().getJsonObject("profile");
    JsonArray columns = profile.getJsonArray("columns");
    assertEquals(4, columns.size());
    JsonObject age = columns.getJsonObject(0);
    assertEquals("profile:age", age.getString("name"));
    assertEquals("int64", age.getString("type"));
    assertEquals(USERS, age.getLong("count"));
    assertEquals(0, age.getLong("nulls"));
    assertEquals(40.0, age.getDouble("mean"), 1.5);
    JsonArray edges = age.getJsonArray("edges");
    assertEquals(10, edges.size(), edges::encode);
    assertEquals(age.getValue("max"), edges.getValue(9));
    // The deciles of N(40, 10): the median near 40, the first decile near 27.
    assertEquals(40, edges.getLong(4), 2.5);
    assertEquals(27, edges.getLong(0), 3);
    JsonObject plan = columns.getJsonObject(1);
    assertEquals(
        new JsonArray().add(new JsonObject().put("value", "pro").put("count", USERS)),
        plan.getJsonArray("top"));
    assertFalse(plan.containsKey("edges"));
  }

  @Test
  @Order(1)
  void manifest_profilesABooleanColumnAsBooleans() {
    String snapshot =
        snapshotOf(new JsonObject().put("features", new JsonArray().add("profile:active")), 1);
    JsonObject active =
        f.api
            .get("/v1/snapshots/" + snapshot)
            .json()
            .getJsonObject("profile")
            .getJsonArray("columns")
            .getJsonObject(0);
    assertEquals("bool", active.getString("type"));
    assertEquals(USERS, active.getLong("count"));
    assertEquals(0, active.getLong("nulls"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("value", true).put("count", USERS)),
        active.getJsonArray("top"));
    assertEquals(0, active.getLong("other"));
  }

  @Test
  @Order(2)
  void noBaseline_isAStatus_notAnError() {
    JsonObject drift = drift("");
    assertEquals("NO_BASELINE", drift.getString("status"));
    assertNull(drift.getValue("baseline"));
    assertEquals(7_200_000L, drift.getLong("window_ms"));
    assertEquals(0, drift.getJsonArray("features").size());
  }

  @Test
  @Order(3)
  void baseline_badInput() {
    Api.Response unknownService = putBaseline("nope", baselineSnapshot);
    assertEquals(404, unknownService.status());
    assertTrue(unknownService.json().getString("message").contains("unknown feature service"));
    assertEquals(404, putBaseline(SERVICE, "00000000-0000-0000-0000-000000000000").status());
    assertEquals(404, putBaseline(SERVICE, "not-a-snapshot").status());
    assertEquals(400, putBaseline(SERVICE, 42).status());
    Api.Response otherService = putBaseline(SERVICE, snapshot("user_v1", 1));
    assertEquals(400, otherService.status());
    assertEquals("bad_request", otherService.error());
    assertTrue(
        otherService.json().getString("message").contains("is of feature service 'user_v1'"),
        otherService.json()::encode);
    Api.Response features = putBaseline(SERVICE, snapshot(null, 1));
    assertEquals(400, features.status());
    assertTrue(features.json().getString("message").contains("list of features"));
  }

  @Test
  @Order(4)
  void window_outsideOneMinuteToRetention_400() {
    for (String window : List.of("30s", "3h", "soon", "0m")) {
      Api.Response r = f.api.get("/v1/monitoring/" + SERVICE + "/drift?window=" + window);
      assertEquals(400, r.status(), window);
      assertEquals("bad_request", r.error());
    }
    assertEquals(404, f.api.get("/v1/monitoring/nope/drift").status());
  }

  @Test
  @Order(5)
  void baseline_storedForEveryInstance() {
    Api.Response r = putBaseline(SERVICE, baselineSnapshot);
    assertEquals(200, r.status(), () -> r.body().toString());
    assertEquals(baselineSnapshot, r.json().getString("snapshot_id"));
    assertEquals(USERS, r.json().getLong("row_count"));
    assertEquals(
        FreshetFixture.T0.toString(), Instant.parse(r.json().getString("created_at")).toString());
    Api.Response fromPeer = peer.api.get("/v1/monitoring/" + SERVICE + "/baseline");
    assertEquals(200, fromPeer.status());
    assertEquals(r.json(), fromPeer.json());
    // The peer counts against it too: it reloads baselines on its timer, as a test we do it now.
    assertEquals(
        baselineSnapshot,
        peer.api
            .get("/v1/monitoring/" + SERVICE + "/drift")
            .json()
            .getJsonObject("baseline")
            .getString("snapshot_id"));
  }

  @Test
  @Order(6)
  void sameDistribution_throughTwoInstances_mergesAndStaysStable() {
    ingest(1 + USERS, 0.0, 0.0, new Random(2));
    read(f, 1 + USERS, USERS / 2);
    read(peer, 1 + USERS + USERS / 2, USERS / 2);
    JsonObject drift = driftWith(USERS);
    assertEquals("STABLE", drift.getString("status"), drift::encode);
    assertTrue(drift.getBoolean("window_complete"));
    for (Object item : drift.getJsonArray("features")) {
      JsonObject feature = (JsonObject) item;
      assertEquals("STABLE", feature.getString("status"), feature::encode);
      assertTrue(feature.getDouble("psi") < 0.1, feature::encode);
      assertTrue(feature.getDouble("js") < 0.1, feature::encode);
    }
    JsonObject plan = feature(drift, "profile:plan");
    assertEquals(0.0, plan.getDouble("unseen_share"));
    assertEquals(0.0, plan.getJsonObject("null_share").getDouble("production"));
    JsonArray ageBins = feature(drift, "profile:age").getJsonArray("bins");
    assertEquals(11, ageBins.size());
    assertNull(ageBins.getJsonObject(10).getValue("upper"));
    assertEquals(0.0, metric("freshet_drift_status", "service=\"" + SERVICE + "\""));
    assertTrue(
        metric("freshet_drift_psi", "service=\"" + SERVICE + "\"", "feature=\"profile:age\"")
            < 0.1);
  }

  @Test
  @Order(7)
  void tooFewSamples_insufficientData() {
    JsonObject drift = drift("?window=1m");
    assertEquals(USERS, drift.getLong("samples"));
    f.clock.advance(Duration.ofMinutes(1));
    JsonObject later = drift("?window=1m");
    assertEquals(0, later.getLong("samples"));
    assertEquals("INSUFFICIENT_DATA", later.getString("status"));
    assertEquals("INSUFFICIENT_DATA", feature(later, "profile:age").getString("status"));
  }

  @Test
  @Order(8)
  void shiftedByOneSigma_withANewCategory_broken() {
    // Past the window: what was counted before no longer counts.
    f.clock.advance(Duration.ofHours(3));
    ingest(1 + 2 * USERS, 1.0, 0.3, new Random(3));
    read(f, 1 + 2 * USERS, USERS);
    JsonObject drift = driftWith(USERS);
    assertEquals("BROKEN", drift.getString("status"), drift::encode);
    JsonObject age = feature(drift, "profile:age");
    assertEquals("BROKEN", age.getString("status"));
    assertTrue(age.getDouble("psi") >= 0.25, age::encode);
    assertEquals("BROKEN", feature(drift, "age_months").getString("status"));
    JsonObject plan = feature(drift, "profile:plan");
    assertEquals(0.3, plan.getDouble("unseen_share"), 0.05, plan::encode);
    assertEquals("BROKEN", plan.getString("status"));
    assertEquals(2.0, metric("freshet_drift_status", "service=\"" + SERVICE + "\""));
    // The score was not shifted.
    assertEquals("STABLE", feature(drift, "profile:score").getString("status"));
  }

  @Test
  @Order(9)
  void compare_twoSnapshots_sameShape() {
    String shifted = snapshot(SERVICE, 1 + 2 * USERS);
    Api.Response r =
        f.api.post(
            "/v1/monitoring/drift/compare",
            new JsonObject().put("baseline", baselineSnapshot).put("current", shifted));
    assertEquals(200, r.status(), () -> r.body().toString());
    JsonObject compared = r.json();
    assertNull(compared.getValue("window_ms"));
    assertEquals(SERVICE, compared.getString("service"));
    assertEquals(USERS, compared.getLong("samples"));
    assertEquals("BROKEN", compared.getString("status"));
    assertTrue(feature(compared, "profile:age").getDouble("psi") >= 0.25);
    assertEquals(0.3, feature(compared, "profile:plan").getDouble("unseen_share"), 0.05);
    assertNotNull(compared.getJsonObject("current"));

    JsonObject itself =
        f.api
            .post(
                "/v1/monitoring/drift/compare",
                new JsonObject().put("baseline", baselineSnapshot).put("current", baselineSnapshot))
            .json();
    assertEquals("STABLE", itself.getString("status"), itself::encode);
    assertEquals(0.0, feature(itself, "profile:age").getDouble("psi"), 1e-9);

    assertEquals(
        404,
        f.api
            .post(
                "/v1/monitoring/drift/compare",
                new JsonObject()
                    .put("baseline", baselineSnapshot)
                    .put("current", "00000000-0000-0000-0000-000000000000"))
            .status());
    assertEquals(
        400,
        f.api
            .post(
                "/v1/monitoring/drift/compare", new JsonObject().put("baseline", baselineSnapshot))
            .status());
  }
}
