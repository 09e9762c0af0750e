package io.freshet.read;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The compact layout against the rows layout on the same data, duplicate entities in one request,
 * and what a read meters: every served value counted once, whatever the layout or the repetition.
 */
@ExtendWith(VertxExtension.class)
class OnlineLayoutTest {

  private static final List<String> FEATURES =
      List.of("profile:age", "profile:plan", "risk:risk_score", "age_months", "risk_per_year");
  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
    f.clock.set(FreshetFixture.T0);
    // User 501: a FRESH profile and a ROTTEN risk (nullify); user 502: a STALE profile, no risk;
    // user 503: nothing at all.
    f.ingest(
        "profile",
        FreshetFixture.profile(501, at(Duration.ofSeconds(30)), 40),
        FreshetFixture.profile(502, at(Duration.ofMinutes(3)), 25));
    f.ingest(
        "risk",
        new JsonObject()
            .put("user_id", 501)
            .put("event_timestamp", at(Duration.ofMinutes(20)))
            .put("risk_score", 0.5));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject request(String layout, String meta, long... users) {
    JsonArray keys = new JsonArray();
    for (long user : users) {
      keys.add(user);
    }
    JsonObject request =
        new JsonObject()
            .put("features", new JsonArray(List.copyOf(FEATURES)))
            .put("entities", new JsonObject().put("user_id", keys))
            .put("meta", meta);
    return layout == null ? request : request.put("layout", layout);
  }

  @Test
  void columns_sameValuesAndMetaAsRows_featureByFeature() {
    long[] users = {501, 502, 503};
    JsonObject rows = f.online(request(null, "full", users)).json();
    JsonObject columns = f.online(request("columns", "full", users)).json();
    assertEquals(rows.getJsonArray("features"), columns.getJsonArray("features"));
    assertEquals(rows.getJsonArray("transformations"), columns.getJsonArray("transformations"));
    assertEquals(new JsonArray().add(501).add(502).add(503), entities(columns));
    for (int c = 0; c < FEATURES.size(); c++) {
      String feature = FEATURES.get(c);
      for (int row = 0; row < users.length; row++) {
        JsonObject result = rows.getJsonArray("results").getJsonObject(row);
        JsonObject meta = result.getJsonObject("meta").getJsonObject(feature);
        String at = feature + " of " + users[row];
        assertEquals(
            result.getJsonObject("values").getValue(feature), cell(columns, "values", c, row), at);
        assertEquals(meta.getString("status"), cell(columns, "status", c, row), at);
        assertEquals(
            meta.getValue("event_timestamp"), cell(columns, "event_timestamps", c, row), at);
        assertEquals(meta.getValue("age_ms"), cell(columns, "ages_ms", c, row), at);
        assertEquals(meta.getValue("tier"), cell(columns, "tiers", c, row), at);
      }
    }
    // The cases the comparison must have covered: a nullified ROTTEN value keeps its meta, a
    // transformation of it is null, an entity without data is MISSING everywhere.
    assertNull(cell(columns, "values", 2, 0));
    assertEquals("ROTTEN", cell(columns, "status", 2, 0));
    assertEquals(at(Duration.ofMinutes(20)), cell(columns, "event_timestamps", 2, 0));
    assertEquals(480L, ((Number) cell(columns, "values", 3, 0)).longValue());
    assertEquals("STALE", cell(columns, "status", 0, 1));
    assertEquals("MISSING", cell(columns, "status", 4, 1));
    assertEquals("MISSING", cell(columns, "status", 0, 2));
    assertNull(cell(columns, "tiers", 0, 2));
  }

  @Test
  void columns_metaStatus_onlyValuesAndStatus() {
    JsonObject columns = f.online(request("columns", "status", 501, 503)).json();
    assertEquals(
        List.of("features", "transformations", "entities", "values", "status"),
        List.copyOf(columns.fieldNames()));
    assertEquals(new JsonArray().add(40).addNull(), columns.getJsonArray("values").getJsonArray(0));
    assertEquals(
        new JsonArray().add("FRESH").add("MISSING"),
        columns.getJsonArray("status").getJsonArray(0));
  }

  @Test
  void layout_unknownOrNotAString_400() {
    for (Object layout : new Object[] {"column", "ROWS", 1, true}) {
      JsonObject request = request(null, "full", 501).put("layout", layout);
      assertEquals(400, f.online(request).status(), String.valueOf(layout));
      assertEquals(
          "layout must be \"rows\" or \"columns\"", f.online(request).json().getString("message"));
    }
    assertEquals(400, f.online(request(null, "full", 501).putNull("layout")).status());
  }

  @Test
  void duplicateEntities_lookedUpOnce_answeredPerRow() {
    double hotBefore = f.metric("freshet_tier_reads_total{result=\"hit\",tier=\"hot\"}");
    double missBefore = f.metric("freshet_tier_reads_total{result=\"miss\",tier=\"hot\"}");
    JsonObject once = f.online(request(null, "full", 501)).json();
    JsonObject thrice = f.online(request(null, "full", 501, 501, 501)).json();
    for (int row = 0; row < 3; row++) {
      assertEquals(
          once.getJsonArray("results").getJsonObject(0),
          thrice.getJsonArray("results").getJsonObject(row));
    }
    // Two views (profile, risk), each looked up once per request whatever the repetition.
    double looked =
        f.metric("freshet_tier_reads_total{result=\"hit\",tier=\"hot\"}")
            - hotBefore
            + f.metric("freshet_tier_reads_total{result=\"miss\",tier=\"hot\"}")
            - missBefore;
    assertEquals(4.0, looked);
  }

  @Test
  void metering_everyServedValueCounted_missingOutOfTheAgeHistogram() {
    String fresh = "freshet_feature_reads_total{status=\"FRESH\",view=\"profile\"}";
    String stale = "freshet_feature_reads_total{status=\"STALE\",view=\"profile\"}";
    String rotten = "freshet_feature_reads_total{status=\"ROTTEN\",view=\"risk\"}";
    String missing = "freshet_feature_reads_total{status=\"MISSING\",view=\"profile\"}";
    String ages = "freshet_served_value_age_seconds_count{view=\"profile\"}";
    String agesSum = "freshet_served_value_age_seconds_sum{view=\"profile\"}";
    String underOneMinute = "freshet_served_value_age_seconds_bucket{view=\"profile\",le=\"60.0\"}";
    double[] before = {
      f.metric(fresh),
      f.metric(stale),
      f.metric(rotten),
      f.metric(missing),
      f.metric(ages),
      f.metric(agesSum),
      f.metric(underOneMinute)
    };
    // profile:age and profile:plan are read directly and are the inputs of age_months and
    // risk_per_year: two stored values of profile per entity; risk:risk_score one.
    f.online(request("columns", "status", 501, 501, 502, 503));
    assertEquals(4.0, f.metric(fresh) - before[0]);
    assertEquals(2.0, f.metric(stale) - before[1]);
    assertEquals(2.0, f.metric(rotten) - before[2]);
    assertEquals(2.0, f.metric(missing) - before[3]);
    assertEquals(6.0, f.metric(ages) - before[4]);
    assertEquals(4 * 30.0 + 2 * 180.0, f.metric(agesSum) - before[5], 1e-9);
    assertEquals(4.0, f.metric(underOneMinute) - before[6]);
  }

  private static JsonArray entities(JsonObject columns) {
    return columns.getJsonObject("entities").getJsonArray("user_id");
  }

  private static Object cell(JsonObject columns, String field, int column, int row) {
    return columns.getJsonArray(field).getJsonArray(column).getValue(row);
  }
}
