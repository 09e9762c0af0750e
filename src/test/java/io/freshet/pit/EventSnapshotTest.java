package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Event views in snapshots and as-of lookups beyond their values (which {@link
 * AggregationOracleTest} checks): statuses from the view's lag, event times of empty windows,
 * services mixing event and records views, and the view that has received nothing yet.
 */
@ExtendWith(VertxExtension.class)
class EventSnapshotTest {

  private static final String VIEW = "card_transactions";
  private static final Instant T0 = FreshetFixture.T0;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    f = FreshetFixture.start(vertx, o -> o.schemasDir(FreshetFixture.EVENT_SCHEMAS));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private void ingestAt(Instant clock, JsonObject... rows) {
    f.clock.set(clock);
    f.ingest(VIEW, rows);
  }

  private static JsonObject event(String card, Instant at, double amount, String category) {
    return new JsonObject()
        .put("card_id", card)
        .put("event_timestamp", at.toString())
        .put("amount", amount)
        .put("merchant_category", category);
  }

  private static JsonObject row(String card, Instant at) {
    return new JsonObject().put("card_id", card).put("timestamp", at.toString());
  }

  private JsonArray snapshot(JsonObject request) {
    Api.Response r = f.api.post("/v1/features/historical", request);
    assertEquals(200, r.status(), () -> r.body().toString());
    JsonArray rows = new JsonArray();
    for (String line : r.body().toString().split("\n")) {
      rows.add(new JsonObject(line));
    }
    return rows;
  }

  @Test
  void asOf_beforeTheViewHasAnyEvent_notFound_thenZeroForAnEntityWithout() {
    Api.Response before = f.api.get("/v1/features/" + VIEW + "/card-a?at=" + T0);
    assertEquals(404, before.status());
    ingestAt(T0.minusSeconds(600), event("card-a", T0.minusSeconds(600), 5.0, "food"));
    f.clock.set(T0);
    Api.Response none = f.api.get("/v1/features/" + VIEW + "/card-z?at=" + T0);
    assertEquals(200, none.status(), none.body().toString());
    JsonObject values = none.json().getJsonObject("values");
    assertEquals(0, values.getInteger("txn_count_1h"));
    assertEquals(0.0, values.getDouble("amount_sum_1d"));
    assertNull(values.getValue("amount_mean_7d"));
    assertNull(none.json().getValue("event_timestamp"));
    JsonObject a = f.api.get("/v1/features/" + VIEW + "/card-a?at=" + T0).json();
    assertEquals(1, a.getJsonObject("values").getInteger("txn_count_1h"));
    assertEquals(T0.minusSeconds(600).toString(), a.getString("event_timestamp"));
    assertEquals(T0.toString(), a.getString("window_end"));
  }

  @Test
  void snapshot_statusesFromTheViewsLag_onRottenApplied() {
    // Another card's events keep the stream going; card-a's own count is empty later on.
    ingestAt(T0.minusSeconds(600), event("card-a", T0.minusSeconds(600), 5.0, "food"));
    ingestAt(T0.minusSeconds(300), event("card-b", T0.minusSeconds(300), 1.0, "fuel"));
    f.clock.set(T0);
    JsonArray rows =
        new JsonArray()
            .add(row("card-a", T0.minusSeconds(700)))
            .add(row("card-a", T0.minusSeconds(570)))
            .add(row("card-a", T0.minusSeconds(400)))
            .add(row("card-a", T0.minusSeconds(250)))
            .add(row("card-a", T0.plusSeconds(3 * 3600)));
    JsonObject request =
        new JsonObject()
            .put(
                "features",
                new JsonArray().add(VIEW + ":txn_count_1h").add(VIEW + ":last_category_1h"))
            .put("rows", rows)
            .put("include_status", true)
            .put("include_timestamps", true)
            .put("as_known", "row");
    JsonArray out = snapshot(request);
    String count = VIEW + ":txn_count_1h";
    // Nothing received yet: MISSING.
    assertEquals("MISSING", out.getJsonObject(0).getString(count + "__status"));
    assertNull(out.getJsonObject(0).getValue(count));
    // Lag 30s: FRESH; 200s: STALE (fresh 1m, stale 5m).
    assertEquals("FRESH", out.getJsonObject(1).getString(count + "__status"));
    assertEquals(1, out.getJsonObject(1).getInteger(count));
    assertEquals(
        T0.minusSeconds(600).toString(),
        out.getJsonObject(1).getString(count + "__event_timestamp"));
    assertEquals("STALE", out.getJsonObject(2).getString(count + "__status"));
    // card-b's event moved the view's lag back to 50s: card-a's own window is FRESH too.
    assertEquals("FRESH", out.getJsonObject(3).getString(count + "__status"));
    // Three hours on, no event since: the stream stalled, ROTTEN; the window is empty.
    JsonObject stalled = out.getJsonObject(4);
    assertEquals("ROTTEN", stalled.getString(count + "__status"));
    assertEquals(0, stalled.getInteger(count));
    assertNull(stalled.getValue(count + "__event_timestamp"));
    assertNull(stalled.getValue(VIEW + ":last_category_1h"));
  }

  @Test
  void fit_aTransformationOfAnAggregation_fromASnapshot_thenServedInSnapshots() {
    ingestAt(
        T0.minusSeconds(600),
        event("card-a", T0.minusSeconds(700), 10.0, "food"),
        event("card-b", T0.minusSeconds(700), 30.0, "fuel"));
    f.clock.set(T0);
    JsonArray rows = new JsonArray().add(row("card-a", T0)).add(row("card-b", T0));
    Api.Response raw =
        f.api.post(
            "/v1/features/historical",
            new JsonObject()
                .put("features", new JsonArray().add(VIEW + ":amount_sum_1d"))
                .put("rows", rows));
    assertEquals(200, raw.status(), () -> raw.body().toString());
    JsonObject manifest = f.api.get("/v1/snapshots/" + raw.snapshotId()).json();
    assertEquals(
        VIEW + ":amount_sum_1d",
        manifest.getJsonArray("features").getJsonObject(0).getString("name"));
    Api.Response fit =
        f.api.post(
            "/v1/transformations/amount_sum_z/fit",
            new JsonObject().put("snapshot_id", raw.snapshotId()));
    assertEquals(200, fit.status(), () -> fit.body().toString());
    JsonArray out =
        snapshot(
            new JsonObject()
                .put("features", new JsonArray().add("amount_sum_z"))
                .put("rows", rows));
    // Mean 20, population deviation 10: the two cards are one deviation either side.
    assertEquals(-1.0, out.getJsonObject(0).getDouble("amount_sum_z"));
    assertEquals(1.0, out.getJsonObject(1).getDouble("amount_sum_z"));
  }

  @Test
  void snapshot_serviceMixingEventAndRecordsViews_andATransformationOfAggregations() {
    ingestAt(
        T0.minusSeconds(600),
        event("card-a", T0.minusSeconds(900), 10.0, "food"),
        event("card-a", T0.minusSeconds(900), 30.0, "fuel"));
    f.clock.set(T0.minusSeconds(590));
    f.ingest(
        "card_limits",
        new JsonObject()
            .put("card_id", "card-a")
            .put("event_timestamp", T0.minusSeconds(3600).toString())
            .put("credit_limit", 500.0));
    f.clock.set(T0);
    JsonObject request =
        new JsonObject()
            .put("feature_service", "card_windows")
            .put(
                "rows",
                new JsonArray()
                    .add(row("card-a", T0))
                    .add(row("card-a", T0.minus(Duration.ofDays(2)))));
    JsonArray out = snapshot(request);
    JsonObject now = out.getJsonObject(0);
    assertEquals(2, now.getInteger(VIEW + ":txn_count_1h"));
    assertEquals(40.0, now.getDouble(VIEW + ":amount_sum_1d"));
    assertEquals("fuel", now.getString(VIEW + ":last_category_1h"));
    assertEquals(500.0, now.getDouble("card_limits:credit_limit"));
    assertEquals(20.0, now.getDouble("mean_amount_1d"));
    JsonObject before = out.getJsonObject(1);
    assertEquals(0, before.getInteger(VIEW + ":txn_count_1h"));
    assertEquals(0.0, before.getDouble("mean_amount_1d"));
    assertNull(before.getValue("card_limits:credit_limit"));
  }
}
