package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How snapshots stream: chunking, errors after the first byte, CSV fields, cancellation. */
@ExtendWith(VertxExtension.class)
class SnapshotStreamingTest {

  private static final String OPTIONS = "{\"features\":[\"profile:age\",\"profile:plan\"]}\n";
  private static final int CHUNK = 5000;
  private static final int IN_FLIGHT = 4;
  private static final int MAX_ROWS = CHUNK * 6;
  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx, o -> o.maxSnapshotRows(MAX_ROWS));
    f.ingest("profile", FreshetFixture.userOneProfile());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static String rows(int n) {
    StringBuilder body = new StringBuilder(OPTIONS);
    String row = "{\"user_id\":1,\"timestamp\":\"" + FreshetFixture.T0 + "\"}\n";
    for (int i = 0; i < n; i++) {
      body.append(row);
    }
    return body.toString();
  }

  private static long snapshotCount() {
    return f.freshet
        .pool()
        .query("SELECT count(*) FROM snapshots")
        .execute()
        .await()
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void ndjson_manyChunks_everyRowInOrderAndManifestCountsThem() {
    int n = CHUNK * 3 + 17;
    Api.Response r = f.api.post("/v1/features/historical", "application/x-ndjson", rows(n));
    assertEquals(200, r.status());
    String[] lines = r.body().toString().split("\n");
    assertEquals(n, lines.length);
    assertEquals(
        new JsonObject()
            .put("user_id", 1)
            .put("timestamp", FreshetFixture.T0.toString())
            .put("profile:age", 33)
            .put("profile:plan", "pro"),
        new JsonObject(lines[n - 1]));
  }

  @Test
  void ndjson_badRowAfterManyRows_plain400BeforeAnyOutputAndNoManifest() {
    long before = snapshotCount();
    int good = CHUNK * IN_FLIGHT + 5;
    String body =
        rows(good) + "{\"user_id\":\"one\",\"timestamp\":\"" + FreshetFixture.T0 + "\"}\n";
    Api.Response r = f.api.post("/v1/features/historical", "application/x-ndjson", body);
    assertEquals(400, r.status());
    assertEquals("bad_request", r.error());
    assertEquals("row " + good + ": user_id must be an int64", r.json().getString("message"));
    assertEquals(null, r.snapshotId());
    assertEquals(before, snapshotCount());
  }

  @Test
  void failureAfterRowsWentOut_bodyEndsWithErrorLineAndNoManifest() {
    long before = snapshotCount();
    // Storing the manifest is what can still fail once rows are out: refuse every new one.
    f.freshet
        .pool()
        .query("ALTER TABLE snapshots ADD CONSTRAINT refuse_all CHECK (false) NOT VALID")
        .execute()
        .await();
    try {
      int n = CHUNK + 3;
      Api.Response r = f.api.post("/v1/features/historical", "application/x-ndjson", rows(n));
      assertEquals(200, r.status());
      String[] lines = r.body().toString().split("\n");
      assertEquals(n + 1, lines.length, "every row, then the error line");
      assertEquals(33, new JsonObject(lines[n - 1]).getInteger("profile:age"));
      JsonObject last = new JsonObject(lines[n]);
      assertEquals("internal", last.getString("error"));
      assertEquals(404, f.api.get("/v1/snapshots/" + r.snapshotId()).status());
      assertEquals(before, snapshotCount());
    } finally {
      f.freshet.pool().query("ALTER TABLE snapshots DROP CONSTRAINT refuse_all").execute().await();
    }
  }

  @Test
  void ndjson_malformedRows_eachA400NamingTheRow() {
    String t = "\"timestamp\":\"" + FreshetFixture.T0 + "\"";
    Map<String, String> rows =
        Map.of(
            "{\"user_id\":1,\"user_id\":2," + t + "}",
            "line 2 is not valid JSON",
            "{\"user_id\":1," + t + "} {\"user_id\":1}",
            "line 2 holds more than one JSON value",
            "{\"user_id\":{\"a\":1}," + t + "}",
            "row 0: user_id must be an int64",
            "{\"user_id\":99999999999999999999," + t + "}",
            "row 0: user_id must be an int64",
            "{\"user_id\":1.5," + t + "}",
            "row 0: user_id must be an int64",
            "{\"user_id\":null," + t + "}",
            "row 0 lacks join key 'user_id'",
            "{\"user_id\":1}",
            "row 0 lacks timestamp",
            "{\"user_id\":1,\"timestamp\":\"2026-11-22T10:00:00\"}",
            "row 0 timestamp: ",
            "{\"user_id\":1,\"userid\":1," + t + "}",
            "row 0 has unknown field 'userid'",
            "[1," + t.replace(':', ',') + "]",
            "row 0 is not a JSON object");
    rows.forEach(
        (row, message) -> {
          Api.Response r =
              f.api.post("/v1/features/historical", "application/x-ndjson", OPTIONS + row + "\n");
          assertEquals(400, r.status(), row);
          assertTrue(r.json().getString("message").startsWith(message), r.body().toString());
          assertEquals(null, r.snapshotId(), row);
        });
  }

  @Test
  void ndjson_badRowInFirstChunk_plain400() {
    String body = OPTIONS + "{\"user_id\":1,\"timestamp\":\"yesterday\"}\n";
    Api.Response r = f.api.post("/v1/features/historical", "application/x-ndjson", body);
    assertEquals(400, r.status());
    assertEquals("bad_request", r.error());
  }

  @Test
  void csv_quotesFieldsThatNeedItAndLeavesNullEmpty() {
    JsonObject request =
        FreshetFixture.oneRowAtT0("profile:age", "profile:score")
            .put("format", "csv")
            .put("include_timestamps", true);
    Api.Response r = f.api.post("/v1/features/historical", request);
    assertEquals("text/csv", r.contentType());
    assertEquals(
        "user_id,timestamp,profile:age,profile:age__event_timestamp,profile:score,"
            + "profile:score__event_timestamp\n"
            + "1,2026-11-22T10:00:00Z,33,2026-11-22T09:50:00Z,,2026-11-22T09:50:00Z\n",
        r.body().toString());
  }

  /**
   * Every kind of value, in both formats, byte for byte: text that needs quoting (in a value and in
   * a join key), the empty string, non-ASCII text, extreme integers, a MISSING row, microsecond
   * event times. The expected bytes are what the encoder wrote before it wrote bytes directly.
   */
  // Control characters, a backslash, a slash and a character outside the BMP.
  private static final String ESCAPED = "tab\there\u0001 back\\slash / \ud83d\ude00 \u007f";

  @Test
  void everyKindOfValue_byteForByteInCsvAndJsonl() {
    String at = "2026-11-22T09:50:00.123456Z";
    f.ingest(
        "device_stats",
        new JsonObject()
            .put("device_id", "d,1")
            .put("event_timestamp", at)
            .put("os", "Linux, \"x\"\n2")
            .put("logins", -5),
        new JsonObject()
            .put("device_id", "\u00e9")
            .put("event_timestamp", at)
            .put("os", "")
            .put("logins", Long.MAX_VALUE),
        new JsonObject()
            .put("device_id", "plain")
            .put("event_timestamp", at)
            .put("os", "\u00fcn\u00efc\u00f8d\u00e9")
            .put("logins", Long.MIN_VALUE),
        new JsonObject()
            .put("device_id", "e\\sc")
            .put("event_timestamp", at)
            .put("os", ESCAPED)
            .put("logins", 0));
    // A snapshot sees what was acknowledged before now; this class's clock otherwise stands still.
    f.clock.advance(Duration.ofSeconds(1));
    JsonArray rows = new JsonArray();
    for (String device : new String[] {"d,1", "\u00e9", "plain", "e\\sc", "none"}) {
      rows.add(
          new JsonObject().put("device_id", device).put("timestamp", FreshetFixture.T0.toString()));
    }
    JsonObject request =
        new JsonObject()
            .put("features", new JsonArray().add("device_stats:os").add("device_stats:logins"))
            .put("include_timestamps", true)
            .put("rows", rows);

    Api.Response csv = f.api.post("/v1/features/historical", request.copy().put("format", "csv"));
    assertEquals(
        "device_id,timestamp,device_stats:os,device_stats:os__event_timestamp,device_stats:logins,"
            + "device_stats:logins__event_timestamp\n"
            + "\"d,1\",2026-11-22T10:00:00Z,\"Linux, \"\"x\"\"\n2\","
            + at
            + ",-5,"
            + at
            + "\n"
            + "\u00e9,2026-11-22T10:00:00Z,\"\","
            + at
            + ",9223372036854775807,"
            + at
            + "\n"
            + "plain,2026-11-22T10:00:00Z,\u00fcn\u00efc\u00f8d\u00e9,"
            + at
            + ",-9223372036854775808,"
            + at
            + "\n"
            + "e\\sc,2026-11-22T10:00:00Z,"
            + ESCAPED
            + ","
            + at
            + ",0,"
            + at
            + "\n"
            + "none,2026-11-22T10:00:00Z,,,,\n",
        csv.body().toString(java.nio.charset.StandardCharsets.UTF_8));

    Api.Response jsonl = f.api.post("/v1/features/historical", request);
    String t = "\"timestamp\":\"2026-11-22T10:00:00Z\"";
    String e = "\"" + at + "\"";
    assertEquals(
        "{\"device_id\":\"d,1\","
            + t
            + ",\"device_stats:os\":\"Linux, \\\"x\\\"\\n2\",\"device_stats:os__event_timestamp\":"
            + e
            + ",\"device_stats:logins\":-5,\"device_stats:logins__event_timestamp\":"
            + e
            + "}\n"
            + "{\"device_id\":\"\u00e9\","
            + t
            + ",\"device_stats:os\":\"\",\"device_stats:os__event_timestamp\":"
            + e
            + ",\"device_stats:logins\":9223372036854775807,\"device_stats:logins__event_timestamp\":"
            + e
            + "}\n"
            + "{\"device_id\":\"plain\","
            + t
            + ",\"device_stats:os\":\"\u00fcn\u00efc\u00f8d\u00e9\",\"device_stats:os__event_timestamp\":"
            + e
            + ",\"device_stats:logins\":-9223372036854775808,"
            + "\"device_stats:logins__event_timestamp\":"
            + e
            + "}\n"
            + "{\"device_id\":\"e\\\\sc\","
            + t
            + ",\"device_stats:os\":"
            // How Jackson's generator escapes it, which is what snapshots always wrote.
            + io.vertx.core.json.Json.encode(ESCAPED)
            + ",\"device_stats:os__event_timestamp\":"
            + e
            + ",\"device_stats:logins\":0,\"device_stats:logins__event_timestamp\":"
            + e
            + "}\n"
            + "{\"device_id\":\"none\","
            + t
            + ",\"device_stats:os\":null,\"device_stats:os__event_timestamp\":null,"
            + "\"device_stats:logins\":null,\"device_stats:logins__event_timestamp\":null}\n",
        jsonl.body().toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void moreRowsThanLimit_413BeforeAnyOutputAndNoManifest() {
    long before = snapshotCount();
    Api.Response r =
        f.api.post("/v1/features/historical", "application/x-ndjson", rows(MAX_ROWS + 1));
    assertEquals(413, r.status());
    assertEquals("too_large", r.error());
    assertEquals(before, snapshotCount());
    JsonArray many = new JsonArray();
    for (int i = 0; i <= MAX_ROWS; i++) {
      many.add(new JsonObject().put("user_id", 1).put("timestamp", FreshetFixture.T0.toString()));
    }
    Api.Response json =
        f.api.post(
            "/v1/features/historical",
            new JsonObject().put("features", new JsonArray().add("profile:age")).put("rows", many));
    assertEquals(413, json.status());
    assertEquals("too_large", json.error());
  }

  @Test
  void cutoffInTheFuture_refused() {
    JsonObject request =
        FreshetFixture.oneRowAtT0("profile:age")
            .put("cutoff", FreshetFixture.T0.plusSeconds(86_400).toString());
    Api.Response r = f.api.post("/v1/features/historical", request);
    assertEquals(400, r.status());
    assertEquals("bad_request", r.error());
  }

  @Test
  void snapshot_unknownId_notFound() {
    assertEquals(
        "not_found", f.api.get("/v1/snapshots/6d1f4a57-0000-4000-8000-000000000000").error());
    assertEquals("not_found", f.api.get("/v1/snapshots/not-a-uuid").error());
  }

  @Test
  void clientDisconnectsMidStream_workStopsNoManifestServerHealthy() {
    long before = snapshotCount();
    HttpClient client = f.vertx.createHttpClient();
    AtomicReference<String> snapshotId = new AtomicReference<>();
    String body = rows(MAX_ROWS);
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(f.freshet.port())
                .setURI("/v1/features/historical")
                .putHeader("content-type", "application/x-ndjson"))
        .compose(
            req ->
                req.send(Buffer.buffer(body))
                    .map(
                        resp -> {
                          snapshotId.set(resp.getHeader("X-Snapshot-Id"));
                          req.connection().close();
                          return resp;
                        }))
        .await();
    assertTrue(snapshotId.get() != null);
    assertEquals(200, f.api.get("/health").status());
    assertTrue(
        f.eventually(
            Duration.ofSeconds(2),
            () -> f.api.get("/v1/snapshots/" + snapshotId.get()).status() == 404));
    assertEquals(before, snapshotCount());
    client.close().await();
  }

  @Test
  void asOf_stringKeyUrlEncodedAndBadAt() {
    f.ingest(
        "device_stats",
        new JsonObject()
            .put("device_id", "a b/c")
            .put("event_timestamp", FreshetFixture.at(Duration.ofMinutes(1)))
            .put("os", "linux")
            .put("logins", 3));
    // Lookups see what was acknowledged before now; this class's clock otherwise stands still.
    f.clock.advance(Duration.ofSeconds(1));
    Api.Response response = f.api.get("/v1/features/device_stats/a%20b%2Fc");
    JsonObject found = response.json();
    assertEquals(200, response.status(), response.body().toString());
    assertEquals(new JsonObject().put("device_id", "a b/c"), found.getJsonObject("entity"));
    assertEquals(3, found.getJsonObject("values").getInteger("logins"));
    Api.Response bad = f.api.get("/v1/features/device_stats/x?at=2026-01-01");
    assertEquals(400, bad.status());
    assertEquals(
        404, f.api.send(HttpMethod.GET, "/v1/features/nope/1", null, null, Map.of()).status());
  }
}
