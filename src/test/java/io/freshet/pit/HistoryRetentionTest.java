package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.Timestamps;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.tier.HistoryPartitions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention by whole months: at T0 (2026-11-22T10:00Z), {@code short_lived} keeps 60 days (back to
 * 2026-09-23T10:00Z), {@code long_lived} 400 days (back to 2025-10-18T10:00Z) and {@code kept} its
 * whole history. A month goes only once every view in it is past its retention.
 */
@ExtendWith(VertxExtension.class)
class HistoryRetentionTest {

  private static final String SCHEMAS =
      """
      entities:
        - name: user
          join_key: user_id
          type: int64
      feature_views:
        - name: short_lived
          entity: user
          ttl: 30d
          retention: 60d
          features:
            - {name: n, type: int64}
        - name: long_lived
          entity: user
          ttl: 30d
          retention: 400d
          features:
            - {name: n, type: int64}
        - name: kept
          entity: user
          ttl: 30d
          features:
            - {name: n, type: int64}
      """;

  @TempDir Path schemas;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) throws IOException {
    Files.writeString(schemas.resolve("retention.yaml"), SCHEMAS);
    f = FreshetFixture.start(vertx, o -> o.schemasDir(schemas));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private void write(String view, String at, int n) {
    f.ingest(view, new JsonObject().put("user_id", 1).put("event_timestamp", at).put("n", n));
  }

  private HistoryPartitions partitions() {
    return f.freshet.tiers().cold().partitions();
  }

  private long micros(Duration afterT0) {
    return Timestamps.toMicros(FreshetFixture.T0.plus(afterT0));
  }

  @Test
  void retention_dropsOnlyMonthsWhoseEveryViewIsPastIt_onItsSchedule() {
    write("long_lived", "2024-09-10T00:00:00Z", 1);
    write("short_lived", "2026-05-10T00:00:00Z", 2);
    write("kept", "2026-05-10T00:00:00Z", 3);
    write("short_lived", "2026-06-10T00:00:00Z", 4);
    write("long_lived", "2026-06-10T00:00:00Z", 5);
    write("short_lived", "2026-07-10T00:00:00Z", 6);
    write("short_lived", "2026-08-10T00:00:00Z", 7);
    write("short_lived", "2026-09-10T00:00:00Z", 8);

    // Retention ran at start; the next round is due an hour later.
    partitions().maintain(micros(Duration.ofMinutes(59))).await();
    assertTrue(partitions().names().contains("feature_history_2026_07"));

    partitions().maintain(micros(Duration.ofHours(1))).await();
    assertEquals(
        List.of(
            "feature_history_2026_05",
            "feature_history_2026_06",
            "feature_history_2026_09",
            "feature_history_2026_11",
            "feature_history_2026_12",
            "feature_history_2027_01",
            "feature_history_2027_02"),
        partitions().names());
    assertEquals(
        3,
        f.historyCount("short_lived"),
        "May (with kept), June (with long_lived) and September (within retention)");
    assertEquals(1, f.historyCount("long_lived"));
    assertEquals(1, f.historyCount("kept"));
    assertEquals(List.of(), partitions().dropExpired(micros(Duration.ofHours(2))).await());

    // A backfill into a dropped month is stored: the month is made again.
    write("kept", "2026-07-15T00:00:00Z", 9);
    assertEquals(2, f.historyCount("kept"));
  }

  private JsonObject snapshot(String timestamp, String cutoff) {
    JsonObject request =
        new JsonObject()
            .put("features", new JsonArray().add("short_lived:n").add("kept:n"))
            .put(
                "rows",
                new JsonArray()
                    .add(new JsonObject().put("user_id", 1).put("timestamp", timestamp)));
    if (cutoff != null) {
      request.put("cutoff", cutoff);
    }
    Api.Response r = f.api.post("/v1/features/historical", request);
    assertEquals(200, r.status(), r.body().toString());
    return f.api.get("/v1/snapshots/" + r.snapshotId()).json();
  }

  @Test
  void snapshot_whoseRowsLookBackPastRetention_saysSoInItsManifest_reRunsToo() {
    write("short_lived", "2026-09-25T00:00:00Z", 1);
    // A row at 2026-10-20 may use records back to 2026-09-20: before short_lived's horizon.
    JsonObject reaching = snapshot("2026-10-20T00:00:00Z", null);
    assertEquals(true, reaching.getBoolean("retention_truncated"), reaching.encode());
    // One at 2026-10-25 looks back to 2026-09-25 only.
    assertEquals(false, snapshot("2026-10-25T00:00:00Z", null).getBoolean("retention_truncated"));

    f.clock.advance(Duration.ofMinutes(1));
    JsonObject rerun = snapshot("2026-10-20T00:00:00Z", reaching.getString("cutoff"));
    assertEquals(reaching.getString("sha256"), rerun.getString("sha256"));
    assertEquals(true, rerun.getBoolean("retention_truncated"));
  }
}
