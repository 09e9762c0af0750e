package io.freshet.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fitted transformations end to end: refused until fitted, fitted from one snapshot's values only,
 * stored as registry versions with provenance, pinned, reproducible, and seen by another instance.
 * The tests run in order: later ones build on the versions earlier ones made.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FittedTransformationsTest {

  private static final int USERS = 40;
  private static final String EVENT = FreshetFixture.at(Duration.ofSeconds(30));

  private static FreshetFixture f;
  private static FreshetFixture peer;
  private static final Map<Long, Double> SCORES = new HashMap<>();
  private static final Map<Long, Long> AGES = new HashMap<>();
  private static String trainingSnapshot;
  private static String pinnedSnapshotBody;
  private static JsonObject pinnedManifest;

  @BeforeAll
  @Timeout(60)
  static void start(Vertx vertx) {
    // Periodic refresh on, so the peer picks fits up the way a production instance would.
    f = FreshetFixture.start(vertx, o -> o.healthInterval(Duration.ofMillis(100)));
    peer = f.startPeer();
    List<JsonObject> rows = new ArrayList<>();
    for (long user = 1; user <= USERS; user++) {
      long age = (user * 37) % 90 + 5;
      Double score = user % 5 == 0 ? null : ((user * 13) % 17 - 8) * 0.7 + user / 1000.0;
      AGES.put(user, age);
      SCORES.put(user, score);
      rows.add(
          new JsonObject()
              .put("user_id", user)
              .put("event_timestamp", EVENT)
              .put("age", age)
              .put("plan", user % 3 == 0 ? "pro" : "basic")
              .put("score", score));
    }
    f.ingest("profile", rows.toArray(JsonObject[]::new));
    f.clock.advance(Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    if (peer != null) {
      peer.close();
    }
    if (f != null) {
      f.close();
    }
  }

  @Test
  @Order(1)
  void unfitted_onlineHistoricalAndNamedReads_409NotFitted() {
    Api.Response service = f.online(request("fitted_v1", 1));
    assertEquals(409, service.status(), service.body()::toString);
    assertEquals("not_fitted", service.error());
    assertTrue(service.json().getString("message").contains("/v1/transformations/score_z/fit"));

    Api.Response named = f.online(requestOf(List.of("score_range"), 1));
    assertEquals(409, named.status());
    assertEquals("not_fitted", named.error());

    Api.Response historical = f.api.post("/v1/features/historical", snapshotRequest("score_z"));
    assertEquals(409, historical.status());
    assertEquals("not_fitted", historical.error());
    assertNull(historical.snapshotId());
  }

  @Test
  @Order(2)
  void fit_badRequests_clearErrorsAndNoVersion() {
    String raw = rawSnapshot();
    assertFit("score_z", new JsonObject(), 400, "bad_request");
    assertFit("score_z", new JsonObject().put("snapshot_id", raw).put("x", 1), 400, "bad_request");
    assertFit("score_z", new JsonObject().put("snapshot_id", 7), 400, "bad_request");
    assertFit("score_z", new JsonObject().put("snapshot_id", "nope"), 404, "not_found");
    assertFit(
        "score_z",
        new JsonObject().put("snapshot_id", "00000000-0000-0000-0000-000000000000"),
        404,
        "not_found");
    assertFit("no_such", new JsonObject().put("snapshot_id", raw), 404, "not_found");
    Api.Response expression = fit("age_months", raw);
    assertEquals(400, expression.status());
    assertTrue(expression.json().getString("message").contains("only a fitted kind"));
    Api.Response malformed =
        f.api.post("/v1/transformations/score_z/fit", "application/json", "{\"snapshot_id\":");
    assertEquals(400, malformed.status());

    // A snapshot without the input cannot fit it: nothing else may stand in for its values.
    Api.Response ageOnly = f.api.post("/v1/features/historical", snapshotRequest("profile:age"));
    assertEquals(200, ageOnly.status());
    Api.Response missing = fit("score_z", ageOnly.snapshotId());
    assertEquals(400, missing.status());
    assertTrue(missing.json().getString("message").contains("does not include profile:score"));

    assertEquals(409, f.online(request("fitted_v1", 1)).status(), "no failed fit made a version");
  }

  @Test
  @Order(3)
  void fit_standardize_parametersFromSnapshotValuesAndServedBitForBit() {
    trainingSnapshot = rawSnapshot();
    Api.Response fitted = fit("score_z", trainingSnapshot);
    assertEquals(200, fitted.status(), fitted.body()::toString);
    JsonObject body = fitted.json();
    double[] values = SCORES.values().stream().filter(v -> v != null).mapToDouble(v -> v).toArray();
    double mean = Arrays.stream(values).sum() / values.length;
    double std =
        Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length);
    JsonObject parameters = body.getJsonObject("parameters");
    assertEquals(mean, parameters.getDouble("mean"), 1e-12);
    assertEquals(std, parameters.getDouble("std"), 1e-12);
    JsonObject provenance = body.getJsonObject("provenance");
    assertEquals(trainingSnapshot, provenance.getString("snapshot_id"));
    assertEquals(USERS, provenance.getLong("row_count"));
    assertEquals(values.length, provenance.getLong("values"));
    assertEquals(f.clock.instant().toString(), provenance.getString("fitted_at"));
    assertEquals("standardize", body.getString("kind"));
    assertEquals(2, body.getInteger("version"), "version 1 is the unfitted declaration");

    Api.Response served = f.online(request("fitted_v1", USERS));
    assertEquals(200, served.status(), served.body()::toString);
    assertEquals(
        new JsonArray().add(new JsonObject().put("name", "score_z").put("version", 2)),
        served.json().getJsonArray("transformations"));
    JsonArray results = served.json().getJsonArray("results");
    for (int i = 0; i < USERS; i++) {
      long user = i + 1;
      Double score = SCORES.get(user);
      Object expected =
          score == null
              ? null
              : (score - parameters.getDouble("mean")) / parameters.getDouble("std");
      assertEquals(expected, results.getJsonObject(i).getJsonObject("values").getValue("score_z"));
    }
  }

  @Test
  @Order(4)
  void fit_laterDataAndServingTraffic_neverChangeTheFit() {
    JsonObject before = registryEntry("score_z");
    // Data far from the training values arrives and is served many times over.
    for (long user = 1; user <= USERS; user++) {
      f.ingest(
          "profile",
          new JsonObject()
              .put("user_id", user)
              .put("event_timestamp", f.clock.instant().toString())
              .put("age", 150)
              .put("plan", "pro")
              .put("score", 9.5));
    }
    // Ingest bumps each batch's ingested_at past the clock; later reads see all of them.
    f.clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 20; i++) {
      assertEquals(200, f.online(request("fitted_v1", USERS)).status());
    }
    assertEquals(before, registryEntry("score_z"), "serving and new data left the fit alone");

    // Fitting again from the same snapshot is the same fit: same version, same parameters.
    Api.Response again = fit("score_z", trainingSnapshot);
    assertEquals(200, again.status());
    assertEquals(2, again.json().getInteger("version"));
    assertEquals(
        before
            .getJsonArray("versions")
            .getJsonObject(1)
            .getJsonObject("fit")
            .getJsonObject("parameters"),
        again.json().getJsonObject("parameters"));
    assertEquals(before, registryEntry("score_z"));
  }

  @Test
  @Order(5)
  void pinnedVersion_oldSnapshotReproducesByteForByteAfterNewFit() {
    Api.Response first = f.api.post("/v1/features/historical", snapshotRequest("score_z"));
    assertEquals(200, first.status(), first.body()::toString);
    pinnedSnapshotBody = first.body().toString();
    pinnedManifest = f.api.get("/v1/snapshots/" + first.snapshotId()).json();
    assertEquals(
        new JsonArray().add("profile:age").add("score_z@2"),
        pinnedManifest.getJsonObject("request").getJsonArray("features"));

    // A snapshot of the new data fits a new version, which unpinned reads move to.
    Api.Response fitted = fit("score_z", rawSnapshot());
    assertEquals(200, fitted.status(), fitted.body()::toString);
    assertEquals(3, fitted.json().getInteger("version"));
    assertEquals(0.0, fitted.json().getJsonObject("parameters").getDouble("std"));
    Api.Response unpinned = f.online(requestOf(List.of("score_z"), 1));
    assertEquals(
        3, unpinned.json().getJsonArray("transformations").getJsonObject(0).getInteger("version"));
    assertEquals(0.0, value(unpinned, "score_z"), "a constant input standardizes to 0");
    Api.Response pinned = f.online(requestOf(List.of("score_z@2"), 1));
    assertEquals(
        2, pinned.json().getJsonArray("transformations").getJsonObject(0).getInteger("version"));
    assertNotEquals(0.0, value(pinned, "score_z"));

    JsonObject rerun =
        new JsonObject()
            .put("features", pinnedManifest.getJsonObject("request").getJsonArray("features"))
            .put("cutoff", pinnedManifest.getString("cutoff"))
            .put("rows", labelRows())
            .put("format", "jsonl");
    Api.Response again = f.api.post("/v1/features/historical", rerun);
    assertEquals(200, again.status(), again.body()::toString);
    assertEquals(pinnedSnapshotBody, again.body().toString());
    JsonObject manifest = f.api.get("/v1/snapshots/" + again.snapshotId()).json();
    assertEquals(pinnedManifest.getString("sha256"), manifest.getString("sha256"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("name", "score_z").put("version", 2)),
        manifest.getJsonArray("transformations"));
  }

  @Test
  @Order(6)
  void registry_listsKindsVersionsParametersAndProvenance() {
    JsonObject scoreZ = registryEntry("score_z");
    assertEquals("standardize", scoreZ.getString("kind"));
    assertEquals(3, scoreZ.getInteger("version"));
    assertEquals(true, scoreZ.getBoolean("fitted"));
    assertEquals("float64", scoreZ.getString("output_type"));
    assertEquals(new JsonArray().add("profile:score"), scoreZ.getJsonArray("inputs"));
    JsonArray versions = scoreZ.getJsonArray("versions");
    assertEquals(3, versions.size());
    assertNull(versions.getJsonObject(0).getJsonObject("fit"));
    JsonObject fit = versions.getJsonObject(1).getJsonObject("fit");
    assertEquals(trainingSnapshot, fit.getString("snapshot_id"));
    assertEquals(USERS, fit.getLong("row_count"));
    assertTrue(fit.getJsonObject("parameters").containsKey("mean"));

    JsonObject expression = registryEntry("age_band");
    assertEquals("expression", expression.getString("kind"));
    assertEquals("int64", expression.getString("output_type"));
    assertEquals(1, expression.getInteger("version"));
    assertNull(expression.getBoolean("fitted"));

    JsonObject java = registryEntry("age_squared");
    assertEquals("java", java.getString("kind"));
    assertEquals("test_square", java.getString("java"));
    assertEquals("1.0", java.getString("java_version"));

    assertEquals(false, registryEntry("age_bucket").getBoolean("fitted"));
  }

  @Test
  @Order(7)
  void fit_quantileAndCategoryKinds_matchOracleAndServe() {
    // At the first events' time plus a second: before the later data existed.
    String snapshot = rawSnapshot(FreshetFixture.at(Duration.ofSeconds(29)));
    Api.Response bucket = fit("age_bucket", snapshot);
    assertEquals(200, bucket.status(), bucket.body()::toString);
    double[] ages = AGES.values().stream().mapToDouble(Long::doubleValue).sorted().toArray();
    JsonArray boundaries = bucket.json().getJsonObject("parameters").getJsonArray("boundaries");
    assertEquals(3, boundaries.size());
    for (int i = 1; i <= 3; i++) {
      assertEquals(numpyQuantile(ages, i / 4.0), boundaries.getDouble(i - 1), 1e-9);
    }

    Api.Response median = fit("score_filled", snapshot);
    assertEquals(200, median.status(), median.body()::toString);
    double[] scores =
        SCORES.values().stream().filter(v -> v != null).mapToDouble(v -> v).sorted().toArray();
    double expectedMedian = numpyQuantile(scores, 0.5);
    assertEquals(
        expectedMedian, median.json().getJsonObject("parameters").getDouble("value"), 1e-12);

    Api.Response plans = fit("plan_index", snapshot);
    assertEquals(200, plans.status(), plans.body()::toString);
    // 27 basic and 13 pro: the most frequent category gets index 0.
    assertEquals(
        new JsonArray().add("basic").add("pro"),
        plans.json().getJsonObject("parameters").getJsonArray("categories"));

    Api.Response range = fit("score_range", snapshot);
    assertEquals(200, range.status());
    assertEquals(scores[0], range.json().getJsonObject("parameters").getDouble("min"));
    assertEquals(
        scores[scores.length - 1], range.json().getJsonObject("parameters").getDouble("max"));

    // User 0 has no profile at all and still gets the imputed value, flagged MISSING.
    JsonObject read =
        new JsonObject()
            .put(
                "features", new JsonArray().add("score_filled").add("age_bucket").add("plan_index"))
            .put("entities", new JsonObject().put("user_id", new JsonArray().add(0).add(7)));
    Api.Response served = f.online(read);
    assertEquals(200, served.status(), served.body()::toString);
    JsonObject nobody = served.json().getJsonArray("results").getJsonObject(0);
    assertEquals(
        median.json().getJsonObject("parameters").getDouble("value"),
        nobody.getJsonObject("values").getDouble("score_filled"));
    assertEquals(
        "MISSING", nobody.getJsonObject("meta").getJsonObject("score_filled").getString("status"));
    assertNull(nobody.getJsonObject("values").getValue("age_bucket"));
    JsonObject seven = served.json().getJsonArray("results").getJsonObject(1);
    // User 7 now has age 150 and plan pro (the later data): the top bucket and index 1.
    assertEquals(3L, seven.getJsonObject("values").getLong("age_bucket"));
    assertEquals(1L, seven.getJsonObject("values").getLong("plan_index"));
    assertEquals(9.5, seven.getJsonObject("values").getDouble("score_filled"));
  }

  @Test
  @Order(8)
  void peerInstance_servesTheNewFitWithoutRestart() {
    assertTrue(
        f.eventually(
            Duration.ofSeconds(10),
            () -> {
              Api.Response r = peer.online(requestOf(List.of("score_z", "age_bucket"), 1));
              return r.status() == 200
                  && r.json()
                      .getJsonArray("transformations")
                      .equals(
                          new JsonArray()
                              .add(new JsonObject().put("name", "score_z").put("version", 3))
                              .add(new JsonObject().put("name", "age_bucket").put("version", 2)));
            }),
        "the peer moved to the fits made on the other instance");
  }

  @Test
  @Order(9)
  void customJavaTransformation_servedThroughTheSameEngine() {
    Api.Response r = f.online(requestOf(List.of("profile:age", "age_squared"), 3));
    assertEquals(200, r.status(), r.body()::toString);
    for (Object row : r.json().getJsonArray("results")) {
      JsonObject values = ((JsonObject) row).getJsonObject("values");
      long age = values.getLong("profile:age");
      assertEquals(age * age, values.getLong("age_squared"));
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static Api.Response fit(String name, String snapshotId) {
    return f.api.post(
        "/v1/transformations/" + name + "/fit", new JsonObject().put("snapshot_id", snapshotId));
  }

  private static void assertFit(String name, JsonObject body, int status, String error) {
    Api.Response r = f.api.post("/v1/transformations/" + name + "/fit", body);
    assertEquals(status, r.status(), () -> body + " → " + r.body());
    assertEquals(error, r.error());
  }

  /** A snapshot of the raw inputs of every fitted transformation, at the clock's now. */
  private static String rawSnapshot() {
    return rawSnapshot(f.clock.instant().toString());
  }

  /** The same, with every row at {@code at}. */
  private static String rawSnapshot(String at) {
    JsonArray rows = new JsonArray();
    for (long user = 1; user <= USERS; user++) {
      rows.add(new JsonObject().put("user_id", user).put("timestamp", at));
    }
    Api.Response r =
        f.api.post(
            "/v1/features/historical",
            new JsonObject()
                .put(
                    "features",
                    new JsonArray().add("profile:score").add("profile:age").add("profile:plan"))
                .put("rows", rows));
    assertEquals(200, r.status(), r.body()::toString);
    return r.snapshotId();
  }

  private static JsonObject snapshotRequest(String feature) {
    JsonArray features = new JsonArray().add("profile:age");
    if (!feature.equals("profile:age")) {
      features.add(feature);
    }
    return new JsonObject()
        .put("features", features)
        .put("rows", labelRows())
        .put("format", "jsonl");
  }

  private static JsonArray labelRows() {
    JsonArray rows = new JsonArray();
    for (long user = 1; user <= USERS; user++) {
      rows.add(
          new JsonObject().put("user_id", user).put("timestamp", f.clock.instant().toString()));
    }
    return rows;
  }

  private static JsonObject request(String service, int users) {
    return entities(new JsonObject().put("feature_service", service), users);
  }

  private static JsonObject requestOf(List<String> features, int users) {
    return entities(new JsonObject().put("features", new JsonArray(features)), users);
  }

  private static JsonObject entities(JsonObject request, int users) {
    JsonArray ids = new JsonArray();
    for (long user = 1; user <= users; user++) {
      ids.add(user);
    }
    return request.put("entities", new JsonObject().put("user_id", ids));
  }

  private static double value(Api.Response r, String column) {
    return r.json()
        .getJsonArray("results")
        .getJsonObject(0)
        .getJsonObject("values")
        .getDouble(column);
  }

  private static JsonObject registryEntry(String name) {
    for (Object t : f.api.get("/v1/registry").json().getJsonArray("transformations")) {
      if (((JsonObject) t).getString("name").equals(name)) {
        return (JsonObject) t;
      }
    }
    throw new AssertionError("no transformation " + name + " in the registry");
  }

  /** numpy.quantile's default: linear interpolation between order statistics. */
  private static double numpyQuantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int low = (int) Math.floor(h);
    return low + 1 < sorted.length
        ? sorted[low] + (h - low) * (sorted[low + 1] - sorted[low])
        : sorted[low];
  }
}
