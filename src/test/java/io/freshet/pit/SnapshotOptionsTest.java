package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.Digests;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.tier.PgMigrations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a training job asks of a snapshot beyond its values: its label rows' own fields passed
 * through, six-digit timestamps, typed columns and a digest of the rows in the manifest, and the
 * snapshots stored before the serving-faithful options existed, which still re-run byte for byte.
 */
@ExtendWith(VertxExtension.class)
class SnapshotOptionsTest {

  private static final Path GOLDEN = Path.of("src/test/resources/snapshots/before-v8");
  private static final String NDJSON = "application/x-ndjson";
  private static final String GOLDEN_FEATURES =
      "[\"profile:age\", \"profile:plan\", \"risk:risk_score\", \"limits:daily_limit\","
          + " \"age_months\", \"risk_per_year\"]";

  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    f = FreshetFixture.start(vertx);
    for (String view : List.of("profile", "risk", "limits")) {
      Api.Response r =
          f.api.post("/v1/ingest/" + view, NDJSON, read(GOLDEN.resolve(view + ".ndjson")));
      assertEquals(200, r.status(), () -> r.body().toString());
    }
    // Past the batches' ingested_at (each a microsecond after the one before): the default cutoff.
    f.clock.advance(java.time.Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static Api.Response historical(String options, String rows) {
    return f.api.post("/v1/features/historical", NDJSON, options + "\n" + rows);
  }

  private static JsonObject manifest(Api.Response r) {
    assertEquals(200, r.status(), () -> r.body().toString());
    return f.api.get("/v1/snapshots/" + r.snapshotId()).json();
  }

  /**
   * Bodies a build from before apply_freshness wrote (src/test/resources/snapshots/before-v8, from
   * the same records and rows): asked for with apply_freshness, today's build writes them byte for
   * byte; without it, a ROTTEN value of the nullify view is given, so the bytes differ.
   */
  @Test
  void storedBeforeTheOptions_applyFreshnessGivesTheSameBytes() throws Exception {
    String rows = read(GOLDEN.resolve("rows.ndjson"));
    for (String format : List.of("jsonl", "csv")) {
      String options =
          "{\"features\": "
              + GOLDEN_FEATURES
              + ", \"include_timestamps\": true, \"format\": \""
              + format
              + "\"";
      Api.Response faithful = historical(options + ", \"apply_freshness\": true}", rows);
      assertEquals(200, faithful.status(), () -> faithful.body().toString());
      assertEquals(read(GOLDEN.resolve("body." + format)), faithful.body().toString(), format);
      Api.Response current = historical(options + "}", rows);
      assertNotEquals(read(GOLDEN.resolve("body." + format)), current.body().toString(), format);
      assertTrue(current.body().toString().contains("2.5"), "user 1's ROTTEN risk at 09:50");
    }
  }

  /**
   * A manifest row as a build before V8 stored it reads, once migrated, as it was made: every
   * record by its cutoff, nullify applied, no status columns, timestamps as stored; what was not
   * recorded then is null and left out of the request to re-send.
   */
  @Test
  void storedBeforeV8_manifestSaysHowItWasMade(Vertx vertx) throws Exception {
    String schema = "test_v7_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    List<PgMigrations.Migration> upToV7 =
        PgMigrations.load().stream().filter(m -> m.version() <= 7).toList();
    PgMigrations.apply(f.freshet.pool(), schema, upToV7).await();
    UUID id = UUID.randomUUID();
    OffsetDateTime cutoff = OffsetDateTime.parse("2026-11-22T10:05:00Z");
    f.freshet
        .pool()
        .preparedQuery(
            "INSERT INTO "
                + schema
                + ".snapshots (id, created_at, cutoff, feature_service, features,"
                + " transformations, row_count, sha256, rows_checked, future_values, statistics,"
                + " columns, number_format) VALUES ($1, $2, $2, NULL,"
                + " '[{\"name\": \"risk:risk_score\", \"version\": 1}]', '[]', 9, 'abc', 9, 0,"
                + " '{}', '[\"risk:risk_score\"]', 'shortest')")
        .execute(Tuple.of(id, cutoff))
        .await();
    try (FreshetFixture migrated = FreshetFixture.start(vertx, o -> o.pgSchema(schema))) {
      JsonObject manifest = migrated.api.get("/v1/snapshots/" + id).json();
      assertEquals("cutoff", manifest.getString("as_known"));
      assertEquals(true, manifest.getBoolean("apply_freshness"));
      assertEquals(false, manifest.getBoolean("include_status"));
      assertEquals("stored", manifest.getString("timestamp_precision"));
      assertNull(manifest.getValue("format"));
      assertNull(manifest.getValue("columns"));
      assertNull(manifest.getValue("rows_sha256"));
      assertEquals(
          new JsonObject()
              .put("features", new JsonArray().add("risk:risk_score"))
              .put("number_format", "shortest")
              .put("timestamp_precision", "stored")
              .put("include_status", false)
              .put("as_known", "cutoff")
              .put("apply_freshness", true)
              .put("cutoff", "2026-11-22T10:05:00Z"),
          manifest.getJsonObject("request"));
    }
  }

  private static final String LABELLED_ROWS =
      "{\"user_id\": 1, \"timestamp\": \"2026-11-22T10:00:00Z\", \"label\": 1, \"weight\": 0.50,"
          + " \"id\": \"a\\\"b,c\", \"flag\": true, \"big\": 1e3}\n"
          + "{\"user_id\": 2, \"label\": 0, \"timestamp\": \"2026-11-22T10:00:00+00:00\","
          + " \"weight\": 1, \"id\": null, \"flag\": false}\n";

  @Test
  void labelFields_passThroughUnchanged_afterTheTimestamp_inTheFirstRowsOrder() throws Exception {
    String options = "{\"features\": [\"profile:age\"]";
    Api.Response jsonl = historical(options + "}", LABELLED_ROWS);
    assertEquals(
        "{\"user_id\":1,\"timestamp\":\"2026-11-22T10:00:00Z\",\"label\":1,\"weight\":0.50,"
            + "\"id\":\"a\\\"b,c\",\"flag\":true,\"big\":1e3,\"profile:age\":31}\n"
            + "{\"user_id\":2,\"timestamp\":\"2026-11-22T10:00:00Z\",\"label\":0,\"weight\":1,"
            + "\"id\":null,\"flag\":false,\"big\":null,\"profile:age\":40}\n",
        jsonl.body().toString());
    JsonObject manifest = manifest(jsonl);
    assertEquals(
        new JsonArray(
            List.of(
                column("user_id", "int64"),
                column("timestamp", "timestamp"),
                column("label", "int64"),
                column("weight", "float64"),
                column("id", "string"),
                column("flag", "bool"),
                column("big", "float64"),
                column("profile:age", "int64"))),
        manifest.getJsonArray("columns"));
    String parsed =
        "{\"user_id\":1,\"timestamp\":\"2026-11-22T10:00:00Z\",\"label\":1,\"weight\":0.50,"
            + "\"id\":\"a\\\"b,c\",\"flag\":true,\"big\":1e3}\n"
            + "{\"user_id\":2,\"timestamp\":\"2026-11-22T10:00:00Z\",\"label\":0,\"weight\":1,"
            + "\"id\":null,\"flag\":false,\"big\":null}\n";
    assertEquals(sha256(parsed), manifest.getString("rows_sha256"));

    // The same rows in one JSON body: the same bytes and the same label digest.
    StringBuilder json = new StringBuilder("{\"features\": [\"profile:age\"], \"rows\": [");
    json.append(LABELLED_ROWS.trim().replace("\n", ", ")).append("]}");
    Api.Response body = f.api.post("/v1/features/historical", "application/json", json.toString());
    assertEquals(jsonl.body().toString(), body.body().toString());
    assertEquals(manifest.getString("rows_sha256"), manifest(body).getString("rows_sha256"));

    Api.Response csv = historical(options + ", \"format\": \"csv\"}", LABELLED_ROWS);
    assertEquals(
        "user_id,timestamp,label,weight,id,flag,big,profile:age\n"
            + "1,2026-11-22T10:00:00Z,1,0.50,\"a\"\"b,c\",true,1e3,31\n"
            + "2,2026-11-22T10:00:00Z,0,1,,false,,40\n",
        csv.body().toString());
    assertEquals(manifest.getString("rows_sha256"), manifest(csv).getString("rows_sha256"));
  }

  private static JsonObject column(String name, String type) {
    return new JsonObject().put("name", name).put("type", type);
  }

  private static String sha256(String text) {
    MessageDigest digest = Digests.create("SHA-256");
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    return Digests.hex(digest);
  }

  @Test
  void labelFields_namedLikeOutputColumnsOrMisspeltReservedNames_400() {
    Map<String, String> refused =
        Map.of(
            "\"profile:age\": 1", "row 0 field 'profile:age' is named like a feature",
            "\"age_months\": 1", "row 0 field 'age_months' is named like a transformation",
            "\"score_z\": 1", "row 0 field 'score_z' is named like a transformation",
            "\"x__status\": 1", "row 0 field 'x__status' is named like an output column",
            "\"x__event_timestamp\": 1", "row 0 field 'x__event_timestamp' is named like",
            "\"Timestamp\": 1", "row 0 has unknown field 'Timestamp' (did you mean 'timestamp'?)",
            "\"timestmp\": 1", "row 0 has unknown field 'timestmp' (did you mean 'timestamp'?)",
            "\"userId\": 1", "row 0 has unknown field 'userId' (did you mean 'user_id'?)",
            "\"label\": {\"a\": 1}", "row 0 field 'label' must be a string, a number",
            "\"\": 1", "row 0 has a field with an empty name");
    refused.forEach(
        (field, message) -> {
          Api.Response r =
              historical(
                  "{\"features\": [\"profile:age\", \"age_months\"]}",
                  "{\"user_id\": 1, \"timestamp\": \"2026-11-22T10:00:00Z\", " + field + "}\n");
          assertEquals(400, r.status(), field);
          assertTrue(r.json().getString("message").startsWith(message), r.body().toString());
          assertNull(r.snapshotId());
        });
    Api.Response added =
        historical(
            "{\"features\": [\"profile:age\"]}",
            "{\"user_id\": 1, \"timestamp\": \"2026-11-22T10:00:00Z\", \"label\": 1}\n"
                + "{\"user_id\": 1, \"timestamp\": \"2026-11-22T10:00:00Z\", \"weight\": 1}\n");
    assertEquals(400, added.status());
    assertTrue(
        added.json().getString("message").startsWith("row 1 has field 'weight' that the first"),
        added.body().toString());
  }

  @Test
  void timestampPrecisionMicros_everyTimestampSixDigits_recordedInTheManifest() {
    String rows = "{\"user_id\": 1, \"timestamp\": \"2026-11-22T10:00:00Z\"}\n";
    Api.Response jsonl =
        historical(
            "{\"features\": [\"profile:age\"], \"include_timestamps\": true,"
                + " \"timestamp_precision\": \"micros\"}",
            rows);
    assertEquals(
        "{\"user_id\":1,\"timestamp\":\"2026-11-22T10:00:00.000000Z\",\"profile:age\":31,"
            + "\"profile:age__event_timestamp\":\"2026-11-22T09:40:00.250000Z\"}\n",
        jsonl.body().toString());
    assertEquals("micros", manifest(jsonl).getString("timestamp_precision"));
    Api.Response csv =
        historical(
            "{\"features\": [\"profile:age\"], \"include_timestamps\": true, \"include_status\":"
                + " true, \"format\": \"csv\", \"timestamp_precision\": \"micros\"}",
            rows);
    assertEquals(
        "user_id,timestamp,profile:age,profile:age__event_timestamp,profile:age__status\n"
            + "1,2026-11-22T10:00:00.000000Z,31,2026-11-22T09:40:00.250000Z,ROTTEN\n",
        csv.body().toString());
    JsonArray columns = manifest(csv).getJsonArray("columns");
    assertEquals(column("profile:age__status", "string"), columns.getJsonObject(4));
  }

  @Test
  void options_ofTheWrongKind_400() {
    Map<String, String> refused =
        Map.of(
            "\"as_known\": \"now\"", "as_known must be \"cutoff\" or \"row\"",
            "\"apply_freshness\": \"yes\"", "apply_freshness must be true or false",
            "\"include_status\": 1", "include_status must be true or false",
            "\"timestamp_precision\": \"nanos\"",
                "timestamp_precision must be \"stored\" or \"micros\"");
    refused.forEach(
        (option, message) -> {
          Api.Response r =
              historical(
                  "{\"features\": [\"profile:age\"], " + option + "}",
                  "{\"user_id\": 1, \"timestamp\": \"2026-11-22T10:00:00Z\"}\n");
          assertEquals(400, r.status(), option);
          assertEquals(message, r.json().getString("message"));
        });
  }
}
