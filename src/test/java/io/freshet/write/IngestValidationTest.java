package io.freshet.write;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(VertxExtension.class)
class IngestValidationTest {

  private static final int MAX_BODY = 64 * 1024;
  private static final int MAX_ROWS = 50;
  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx, o -> o.maxBodyBytes(MAX_BODY).maxIngestRows(MAX_ROWS));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject good(long user) {
    return new JsonObject()
        .put("user_id", user)
        .put("event_timestamp", at(Duration.ofSeconds(1)))
        .put("age", 30)
        .put("plan", "basic");
  }

  static List<Arguments> badRows() {
    return List.of(
        Arguments.of("wrong type", good(1).put("age", "41"), "age"),
        Arguments.of("fraction in int64", good(1).put("age", 4.5), "age"),
        Arguments.of("string NaN in number", good(1).put("score", "NaN"), "score"),
        Arguments.of("above max", good(1).put("age", 151), "age"),
        Arguments.of("below min", good(1).put("score", -10.5), "score"),
        Arguments.of("not an allowed value", good(1).put("plan", "gold"), "plan"),
        Arguments.of("bool as string", good(1).put("active", "true"), "active"),
        Arguments.of("missing join key", good(1).copy().put("user_id", (Object) null), "user_id"),
        Arguments.of("join key wrong type", good(1).put("user_id", "abc"), "user_id"),
        Arguments.of(
            "missing event_timestamp", withoutField(good(1), "event_timestamp"), "event_timestamp"),
        Arguments.of(
            "malformed timestamp", good(1).put("event_timestamp", "yesterday"), "event_timestamp"),
        Arguments.of(
            "zone-less timestamp",
            good(1).put("event_timestamp", "2026-11-22T09:00:00"),
            "event_timestamp"),
        Arguments.of(
            "nanosecond timestamp",
            good(1).put("event_timestamp", "2026-11-22T09:00:00.123456789Z"),
            "event_timestamp"),
        Arguments.of(
            "timestamp as number", good(1).put("event_timestamp", 1700000000), "event_timestamp"),
        Arguments.of(
            "more than 5 minutes ahead",
            good(1).put("event_timestamp", FreshetFixture.T0.plusSeconds(301).toString()),
            "event_timestamp"),
        Arguments.of("unknown feature", good(1).put("colour", "red"), "colour"),
        Arguments.of("non-nullable null", good(1).putNull("age"), "age"),
        Arguments.of("non-nullable absent", withoutField(good(1), "plan"), "plan"));
  }

  private static JsonObject withoutField(JsonObject row, String field) {
    JsonObject copy = row.copy();
    copy.remove(field);
    return copy;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRows")
  void ingest_invalidRow_refusedWithRowAndFieldAndNothingWritten(
      String name, JsonObject bad, String field) {
    long before = f.historyCount("profile");
    Api.Response r =
        f.api.post(
            "/v1/ingest/profile",
            new JsonObject().put("rows", new JsonArray().add(good(7)).add(bad)));
    assertEquals(400, r.status(), r.body().toString());
    assertEquals("validation_failed", r.error());
    JsonObject detail = r.details().getJsonObject(0);
    assertEquals(1, detail.getInteger("row"));
    assertEquals(field, detail.getString("field"));
    assertTrue(!detail.getString("message").isBlank());
    assertEquals(before, f.historyCount("profile"));
  }

  @Test
  void ingest_exactlyFiveMinutesAhead_accepted() {
    JsonObject row = good(2).put("event_timestamp", FreshetFixture.T0.plusSeconds(300).toString());
    assertEquals(1, f.ingest("profile", row).getInteger("accepted"));
  }

  @Test
  void ingest_infiniteNumberLiteral_refused() {
    String body =
        "{\"rows\":[{\"user_id\":3,\"event_timestamp\":\""
            + at(Duration.ofSeconds(1))
            + "\",\"age\":30,\"plan\":\"pro\",\"score\":1e999}]}";
    Api.Response r = f.api.post("/v1/ingest/profile", "application/json", body);
    assertEquals(400, r.status());
    assertEquals("validation_failed", r.error());
    assertEquals("score", r.details().getJsonObject(0).getString("field"));
  }

  @Test
  void ingest_sameKeyAndInstantInOtherZone_refusedNamingLaterRow() {
    long before = f.historyCount("profile");
    JsonObject a = good(4).put("event_timestamp", "2026-11-22T09:00:00Z");
    JsonObject b = good(4).put("event_timestamp", "2026-11-22T11:00:00+02:00");
    Api.Response r =
        f.api.post(
            "/v1/ingest/profile", new JsonObject().put("rows", new JsonArray().add(a).add(b)));
    assertEquals("validation_failed", r.error());
    assertEquals(1, r.details().getJsonObject(0).getInteger("row"));
    assertEquals("event_timestamp", r.details().getJsonObject(0).getString("field"));
    assertEquals(before, f.historyCount("profile"));
  }

  @Test
  void ingest_oneKeyManyTimes_onlyRepeatedInstantsRefused_eachNamingItsFirstRow() {
    JsonArray rows = new JsonArray();
    for (int seconds : new int[] {10, 20, 10, 20, 30, 10}) {
      rows.add(good(9).put("event_timestamp", at(Duration.ofSeconds(seconds))));
    }
    Api.Response r = f.api.post("/v1/ingest/profile", new JsonObject().put("rows", rows));
    assertEquals("validation_failed", r.error());
    assertEquals(3, r.details().size(), r.details().encode());
    assertEquals(
        List.of(
            "2: same user_id and instant as row 0",
            "3: same user_id and instant as row 1",
            "5: same user_id and instant as row 0"),
        r.details().stream()
            .map(
                d ->
                    ((JsonObject) d).getInteger("row")
                        + ": "
                        + ((JsonObject) d).getString("message"))
            .toList());
  }

  @Test
  void ingest_everyProblemListed() {
    Api.Response r =
        f.api.post(
            "/v1/ingest/profile",
            new JsonObject()
                .put(
                    "rows",
                    new JsonArray().add(good(5).put("age", -1)).add(good(6).put("plan", 3))));
    assertEquals(2, r.details().size());
    assertEquals(0, r.details().getJsonObject(0).getInteger("row"));
    assertEquals(1, r.details().getJsonObject(1).getInteger("row"));
  }

  @Test
  void ingest_ndjson_acceptedWithMicrosecondTimesKeptExactly() {
    String body =
        good(8).put("event_timestamp", "2026-11-22T11:59:59.123456+02:00").encode()
            + "\n\n"
            + good(9).encode()
            + "\r\n";
    Api.Response r = f.api.post("/v1/ingest/profile", "application/x-ndjson", body);
    assertEquals(200, r.status(), r.body().toString());
    assertEquals(2, r.json().getInteger("accepted"));
    JsonObject read =
        f.online(
                new JsonObject()
                    .put("features", new JsonArray().add("profile:age"))
                    .put("entities", new JsonObject().put("user_id", new JsonArray().add(8))))
            .json();
    assertEquals(
        "2026-11-22T09:59:59.123456Z",
        read.getJsonArray("results")
            .getJsonObject(0)
            .getJsonObject("meta")
            .getJsonObject("profile:age")
            .getString("event_timestamp"));
  }

  static List<Arguments> malformedBodies() {
    return List.of(
        Arguments.of("application/json", "{\"rows\": [", "truncated JSON"),
        Arguments.of(
            "application/json", "{\"rows\": [{\"user_id\": 1, \"age\": NaN}]}", "bare NaN"),
        Arguments.of(
            "application/json", "{\"rows\": [{\"user_id\": 1, \"user_id\": 2}]}", "duplicate key"),
        Arguments.of("application/json", "{\"rows\": []}", "empty rows"),
        Arguments.of("application/json", "{\"rows\": [1]}", "row not an object"),
        Arguments.of("application/json", "{\"rows\": [], \"extra\": 1}", "unknown field"),
        Arguments.of("application/json", "[{\"user_id\": 1}]", "array body"),
        Arguments.of("application/json", "{\"rows\": []} {}", "trailing content"),
        Arguments.of("application/json", "", "empty body"),
        Arguments.of("application/x-ndjson", "{\"user_id\": 1}\n{oops}\n", "bad NDJSON line"),
        Arguments.of("application/x-ndjson", "\n\n", "empty NDJSON"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("malformedBodies")
  void ingest_malformedBody_badRequestAndNothingWritten(String type, String body, String name) {
    long before = f.historyCount("profile");
    Api.Response r = f.api.post("/v1/ingest/profile", type, body);
    assertEquals(400, r.status(), r.body().toString());
    assertEquals("bad_request", r.error());
    assertEquals(before, f.historyCount("profile"));
  }

  @Test
  void ingest_invalidUtf8_badRequest() {
    byte[] body =
        "{\"rows\": [{\"plan\": \"\u0000\"}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    body[body.length - 5] = (byte) 0xC3;
    Api.Response r =
        f.api.send(
            io.vertx.core.http.HttpMethod.POST,
            "/v1/ingest/profile",
            "application/json",
            io.vertx.core.buffer.Buffer.buffer(body),
            java.util.Map.of());
    assertEquals(400, r.status());
    assertEquals("bad_request", r.error());
  }

  @Test
  void ingest_moreRowsThanLimit_tooLargeAndNothingWritten() {
    JsonArray rows = new JsonArray();
    for (int i = 0; i <= MAX_ROWS; i++) {
      rows.add(good(200_000 + i));
    }
    long before = f.historyCount("profile");
    Api.Response r = f.api.post("/v1/ingest/profile", new JsonObject().put("rows", rows));
    assertEquals(413, r.status());
    assertEquals("too_large", r.error());
    assertEquals(before, f.historyCount("profile"));
  }

  @Test
  void ingest_unknownView_notFound() {
    Api.Response r =
        f.api.post("/v1/ingest/nope", new JsonObject().put("rows", new JsonArray().add(good(1))));
    assertEquals(404, r.status());
    assertEquals("not_found", r.error());
  }

  @Test
  void ingest_bodyOverLimit_tooLarge() {
    JsonArray rows = new JsonArray();
    for (int i = 0; rows.encode().length() <= MAX_BODY; i++) {
      rows.add(good(100_000 + i));
    }
    long before = f.historyCount("profile");
    Api.Response r = f.api.post("/v1/ingest/profile", new JsonObject().put("rows", rows));
    assertEquals(413, r.status());
    assertEquals("too_large", r.error());
    assertEquals(before, f.historyCount("profile"));
    assertEquals(200, f.api.get("/health").status());
  }

  @Test
  void ingest_ackedBatch_allRowsCarryTheSameIngestedAt() {
    JsonObject ack = f.ingest("profile", good(20), good(21), good(22));
    Instant ingested = Instant.parse(ack.getString("ingested_at"));
    var rows =
        f.freshet
            .pool()
            .query(
                "SELECT DISTINCT ingested_at FROM feature_history WHERE view_name = 'profile'"
                    + " AND entity_key IN ('20', '21', '22')")
            .execute()
            .await();
    assertEquals(1, rows.size());
    assertEquals(ingested, rows.iterator().next().getOffsetDateTime(0).toInstant());
  }
}
