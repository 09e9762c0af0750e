package io.freshet.pit;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A row's values do not depend on the other rows of its request: in a snapshot whose rows share
 * records, and see them fresh, stale, nullified as ROTTEN or beyond their ttl, every row gets
 * exactly what a snapshot of that row alone gives, and a failing transformation is counted once for
 * every row it fails for.
 */
@ExtendWith(VertxExtension.class)
class SnapshotSharedRecordsTest {

  private static final Instant RISK_AT = FreshetFixture.T0.minus(Duration.ofHours(3));
  private static final List<String> FEATURES =
      List.of(
          "risk:risk_score",
          "risk_log",
          "risk_inverse",
          "risk_per_year",
          "age_months",
          "profile:age");
  // fresh, stale, ROTTEN (risk nullifies it), beyond the 1 h ttl (MISSING)
  private static final List<Duration> AFTER_RISK =
      List.of(
          Duration.ofSeconds(30),
          Duration.ofMinutes(3),
          Duration.ofMinutes(10),
          Duration.ofHours(2));
  private static final int REPEATS = 3;
  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
    double[] scores = {0.0, 2.5, -1.25};
    JsonObject[] profiles = new JsonObject[scores.length];
    JsonObject[] risks = new JsonObject[scores.length];
    for (int user = 1; user <= scores.length; user++) {
      profiles[user - 1] =
          new JsonObject()
              .put("user_id", user)
              .put("event_timestamp", RISK_AT.minus(Duration.ofMinutes(1)).toString())
              .put("age", 20 + user)
              .put("plan", "pro");
      risks[user - 1] =
          new JsonObject()
              .put("user_id", user)
              .put("event_timestamp", RISK_AT.toString())
              .put("risk_score", scores[user - 1]);
    }
    f.ingest("profile", profiles);
    f.ingest("risk", risks);
    // The clock stands still; the second batch was stamped just after it, past the default cutoff.
    f.clock.advance(Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonArray snapshot(JsonArray rows) {
    Api.Response r =
        f.api.post(
            "/v1/features/historical",
            new JsonObject()
                .put("features", new JsonArray(FEATURES))
                .put("rows", rows)
                .put("include_timestamps", true)
                .put("apply_freshness", true)
                .put("format", "jsonl"));
    assertEquals(200, r.status(), () -> r.body().toString());
    JsonArray lines = new JsonArray();
    for (String line : r.body().toString().split("\n")) {
      lines.add(new JsonObject(line));
    }
    return lines;
  }

  private static double riskInverseFailures() {
    String metrics = f.api.get("/metrics").body().toString();
    Matcher m =
        Pattern.compile(
                "freshet_transform_errors_total\\{transformation=\"risk_inverse\",?} ([0-9.E]+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void everyRowOfSharedRecords_isWhatItsOwnSnapshotGives_failuresCountedPerRow() {
    JsonArray rows = new JsonArray();
    for (int repeat = 0; repeat < REPEATS; repeat++) {
      for (Duration after : AFTER_RISK) {
        for (int user = 1; user <= 3; user++) {
          rows.add(
              new JsonObject()
                  .put("user_id", user)
                  .put("timestamp", RISK_AT.plus(after).toString()));
        }
      }
    }
    double failuresBefore = riskInverseFailures();
    JsonArray shared = snapshot(rows);
    // User 1's risk is 0.0: 1 / 0 fails on every row that sees it present, fresh or stale.
    assertEquals(2 * REPEATS, riskInverseFailures() - failuresBefore, 0.0);
    assertEquals(rows.size(), shared.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonObject alone = snapshot(new JsonArray().add(rows.getJsonObject(i))).getJsonObject(0);
      assertEquals(alone, shared.getJsonObject(i), "row " + i + ": " + rows.getJsonObject(i));
    }
    // The rows cover each case: values computed, nullified, missing, failed.
    long computed =
        shared.stream().filter(r -> ((JsonObject) r).getValue("risk_log") != null).count();
    assertEquals(2 * 3 * REPEATS, computed);
    assertTrue(
        shared.stream()
            .anyMatch(
                r ->
                    ((JsonObject) r).getValue("risk_log") == null
                        && ((JsonObject) r).getValue("risk_log__event_timestamp") != null),
        "a nullified row");
    assertEquals(
        2.5 / 22,
        shared.getJsonObject(1).getDouble("risk_per_year"),
        0.0,
        "user 2, fresh: " + shared.getJsonObject(1));
  }
}
