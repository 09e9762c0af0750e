package io.freshet.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ingest into an event view: every row kept, the same all-or-nothing rules as records. */
@ExtendWith(VertxExtension.class)
class EventIngestTest {

  private static final String VIEW = "card_transactions";
  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx, o -> o.schemasDir(FreshetFixture.EVENT_SCHEMAS));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject event(String card, Duration beforeT0, double amount) {
    return new JsonObject()
        .put("card_id", card)
        .put("event_timestamp", FreshetFixture.at(beforeT0))
        .put("amount", amount)
        .put("merchant_category", "grocery");
  }

  private static Api.Response post(JsonObject... rows) {
    return f.api.post(
        "/v1/ingest/" + VIEW,
        new JsonObject().put("rows", new JsonArray(List.of((Object[]) rows))));
  }

  @Test
  void ingest_sameCardSameInstant_bothKeptInBatchOrder() {
    JsonObject first = event("same", Duration.ofMinutes(3), 10.5);
    JsonObject second = event("same", Duration.ofMinutes(3), 20.25).putNull("merchant_category");
    f.ingest(VIEW, first, second);
    List<Row> rows = new ArrayList<>();
    f.freshet
        .pool()
        .preparedQuery(
            "SELECT seq, event_values->>'amount' AS amount, event_ts, ingested_at"
                + " FROM event_history WHERE view_name = $1 AND entity_key = 'same' ORDER BY seq")
        .execute(Tuple.of(VIEW))
        .await()
        .forEach(rows::add);
    assertEquals(2, rows.size());
    assertEquals(0, rows.get(0).getInteger("seq"));
    assertEquals("10.5", rows.get(0).getString("amount"));
    assertEquals(1, rows.get(1).getInteger("seq"));
    assertEquals("20.25", rows.get(1).getString("amount"));
    assertEquals(
        rows.get(0).getOffsetDateTime("event_ts"), rows.get(1).getOffsetDateTime("event_ts"));
    assertEquals(
        rows.get(0).getOffsetDateTime("ingested_at"), rows.get(1).getOffsetDateTime("ingested_at"));
    assertEquals(0, f.historyCount(VIEW), "no record of an event view in feature_history");
  }

  @Test
  void ingest_sameEventSentTwice_countedTwice() {
    f.ingest(VIEW, event("twice", Duration.ofMinutes(2), 1.0));
    f.ingest(VIEW, event("twice", Duration.ofMinutes(2), 1.0));
    assertEquals(2, count("twice"));
  }

  @Test
  void ingest_nonNumericAmount_badRequestNamingRow_nothingWritten() {
    assertRefused(
        1,
        "amount",
        "must be a float64 number",
        event("bad1", Duration.ofMinutes(1), 1),
        event("bad1", Duration.ofMinutes(1), 1).put("amount", "12.5"));
    assertEquals(0, count("bad1"));
  }

  @Test
  void ingest_nanAmount_badRequestNamingRow_nothingWritten() {
    String body =
        "{\"rows\": [{\"card_id\": \"nan\", \"event_timestamp\": \""
            + FreshetFixture.at(Duration.ofMinutes(1))
            + "\", \"amount\": 1}, {\"card_id\": \"nan\", \"event_timestamp\": \""
            + FreshetFixture.at(Duration.ofMinutes(1))
            + "\", \"amount\": NaN}]}";
    Api.Response r = f.api.post("/v1/ingest/" + VIEW, "application/json", body);
    assertEquals(400, r.status(), r.body().toString());
    assertEquals(0, count("nan"));
    JsonObject stringNan = event("nan", Duration.ofMinutes(1), 1).put("amount", "NaN");
    assertRefused(0, "amount", "must be a float64 number", stringNan);
    assertEquals(0, count("nan"));
  }

  @Test
  void ingest_stringOverLimit_badRequestNamingRow_nothingWritten() {
    JsonObject long1 =
        event("long", Duration.ofMinutes(1), 1)
            .put("merchant_category", "x".repeat(FeatureValues.MAX_STRING_BYTES + 1));
    assertRefused(
        1, "merchant_category", "is longer than", event("long", Duration.ofMinutes(1), 2), long1);
    assertEquals(0, count("long"));
  }

  @Test
  void ingest_nulOrLoneSurrogate_inCardOrCategory_badRequestNamingRow_nothingWritten() {
    assertRefused(
        1,
        "card_id",
        "must be a non-empty string without U+0000 or unpaired surrogates",
        event("nul", Duration.ofMinutes(1), 1),
        event("nul\u0000", Duration.ofMinutes(1), 1));
    assertRefused(
        1,
        "merchant_category",
        "must be a string without U+0000 or unpaired surrogates",
        event("nul", Duration.ofMinutes(1), 1),
        event("nul", Duration.ofMinutes(1), 1).put("merchant_category", "\u0000"));
    String loneSurrogate =
        "{\"rows\": [{\"card_id\": \"nul\", \"event_timestamp\": \""
            + FreshetFixture.at(Duration.ofMinutes(1))
            + "\", \"amount\": 1, \"merchant_category\": \"\\ud800\"}]}";
    Api.Response r = f.api.post("/v1/ingest/" + VIEW, "application/json", loneSurrogate);
    assertEquals(400, r.status(), r.body().toString());
    assertEquals("merchant_category", r.details().getJsonObject(0).getString("field"));
    assertEquals(0, count("nul"));
  }

  @Test
  void ingest_eventSixMinutesAhead_badRequestNamingRow_nothingWritten() {
    JsonObject ahead =
        event("ahead", Duration.ZERO, 1)
            .put("event_timestamp", FreshetFixture.T0.plusSeconds(360).toString());
    assertRefused(
        1,
        "event_timestamp",
        "more than 5 minutes in the future",
        event("ahead", Duration.ofMinutes(1), 1),
        ahead);
    assertEquals(0, count("ahead"));
  }

  @Test
  void ingest_unknownOrFeatureName_badRequestAsUnknownField() {
    assertRefused(
        0,
        "txn_count_1h",
        "unknown field of view 'card_transactions'",
        event("unknown", Duration.ofMinutes(1), 1).put("txn_count_1h", 4));
    assertEquals(0, count("unknown"));
  }

  @Test
  void ingest_100001Events_tooLarge_nothingWritten() {
    StringBuilder body = new StringBuilder("{\"rows\": [");
    String at = FreshetFixture.at(Duration.ofMinutes(1));
    for (int i = 0; i <= 100_000; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"card_id\":\"huge\",\"event_timestamp\":\"")
          .append(at)
          .append("\",\"amount\":1}");
    }
    body.append("]}");
    Api.Response r = f.api.post("/v1/ingest/" + VIEW, "application/json", body.toString());
    assertEquals(413, r.status());
    assertEquals("too_large", r.error());
    assertEquals(0, count("huge"));
  }

  @Test
  void ingest_idempotencyKeyAgain_firstAnswer_writtenOnce() {
    JsonObject body =
        new JsonObject()
            .put(
                "rows",
                new JsonArray()
                    .add(event("idem", Duration.ofMinutes(1), 5))
                    .add(event("idem", Duration.ofMinutes(1), 6)));
    Api.Response first = send(body, "events-key-1");
    Api.Response again = send(body, "events-key-1");
    assertEquals(200, first.status(), first.body().toString());
    assertEquals(200, again.status());
    assertEquals(first.json(), again.json());
    assertEquals(2, count("idem"));
    Api.Response other =
        send(
            new JsonObject()
                .put("rows", new JsonArray().add(event("idem", Duration.ofMinutes(1), 7))),
            "events-key-1");
    assertEquals(400, other.status());
    assertEquals(2, count("idem"));
  }

  @Test
  void ingest_anOldMonth_getsItsEventPartitionFirst() {
    JsonObject old =
        event("backfill", Duration.ZERO, 3).put("event_timestamp", "2024-03-05T12:00:00Z");
    f.ingest(VIEW, old);
    assertEquals(1, count("backfill"));
    assertTrue(
        f.freshet.tiers().cold().eventPartitions().names().contains("event_history_2024_03"));
    long attached =
        f.freshet
            .pool()
            .query(
                "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'event_history'::regclass AND c.relname = 'event_history_2024_03'")
            .execute()
            .await()
            .iterator()
            .next()
            .getLong(0);
    assertEquals(1, attached);
    assertTrue(!f.freshet.tiers().cold().partitions().names().contains("feature_history_2024_03"));
  }

  @Test
  void ingest_movesTheViewsWatermark() {
    f.ingest(VIEW, event("mark", Duration.ofSeconds(30), 1));
    Row row =
        f.freshet
            .pool()
            .preparedQuery("SELECT last_event_ts FROM view_watermarks WHERE view_name = $1")
            .execute(Tuple.of(VIEW))
            .await()
            .iterator()
            .next();
    assertTrue(!row.getOffsetDateTime(0).toInstant().isBefore(FreshetFixture.T0.minusSeconds(30)));
  }

  private static Api.Response send(JsonObject body, String key) {
    return f.api.send(
        HttpMethod.POST,
        "/v1/ingest/" + VIEW,
        "application/json",
        Buffer.buffer(body.encode()),
        Map.of("Idempotency-Key", key));
  }

  private static void assertRefused(int row, String field, String message, JsonObject... rows) {
    Api.Response r = post(rows);
    assertEquals(400, r.status(), r.body().toString());
    JsonObject detail = r.details().getJsonObject(0);
    assertEquals(row, detail.getInteger("row"), r.body().toString());
    assertEquals(field, detail.getString("field"), r.body().toString());
    assertTrue(detail.getString("message").contains(message), r.body().toString());
  }

  private static long count(String card) {
    return f.freshet
        .pool()
        .preparedQuery(
            "SELECT count(*) FROM event_history WHERE view_name = $1 AND entity_key = $2")
        .execute(Tuple.of(VIEW, card))
        .await()
        .iterator()
        .next()
        .getLong(0);
  }
}
