package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.Timestamps;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The history's month partitions: made ahead, made on demand, and read only where needed. */
@ExtendWith(VertxExtension.class)
class HistoryPartitionsTest {

  private static final Pattern PARTITION = Pattern.compile("feature_history_\\d{4}_\\d{2}");

  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static JsonObject device(String key, String at) {
    return new JsonObject()
        .put("device_id", key)
        .put("event_timestamp", at)
        .put("os", "linux")
        .put("logins", 1);
  }

  private static JsonObject profile(int user, String at) {
    return new JsonObject()
        .put("user_id", user)
        .put("event_timestamp", at)
        .put("age", 40)
        .put("plan", "pro");
  }

  private Set<String> attached() {
    Set<String> names = new TreeSet<>();
    f.freshet
        .pool()
        .query(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'feature_history'::regclass")
        .execute()
        .await()
        .forEach(r -> names.add(r.getString(0)));
    return names;
  }

  @Test
  void start_makesTheCurrentMonthAndThreeAhead() {
    assertEquals(
        Set.of(
            "feature_history_2026_11",
            "feature_history_2026_12",
            "feature_history_2027_01",
            "feature_history_2027_02"),
        attached());
    assertEquals(List.copyOf(attached()), f.freshet.tiers().cold().partitions().names());
  }

  @Test
  void backfill_ofMonthsWithoutPartitions_makesThemAndStoresEveryRow() {
    f.ingest(
        "profile",
        profile(1, "2024-03-10T12:00:00Z"),
        profile(2, "2025-07-01T00:00:00Z"),
        profile(3, "2025-06-30T23:59:59.999999Z"),
        profile(4, "2025-07-01T01:30:00+02:00"));
    assertTrue(
        attached()
            .containsAll(
                Set.of(
                    "feature_history_2024_03",
                    "feature_history_2025_06",
                    "feature_history_2025_07")),
        attached().toString());
    assertEquals(4, f.historyCount("profile"));
    assertEquals(
        2L,
        f.freshet
            .pool()
            .query("SELECT count(*) FROM feature_history_2025_06")
            .execute()
            .await()
            .iterator()
            .next()
            .getLong(0),
        "the last microsecond of June and 01:30 at +02:00 on the 1st of July are in June (UTC)");
  }

  @Test
  void batchNeedingTooManyNewMonths_refusedWhole_noPartitionMade() {
    JsonArray rows = new JsonArray();
    OffsetDateTime first = OffsetDateTime.of(2005, 1, 15, 0, 0, 0, 0, ZoneOffset.UTC);
    for (int i = 0; i <= PgHistoryPartitions.MAX_NEW_PER_BATCH; i++) {
      rows.add(device("d" + i, first.plusMonths(i).toInstant().toString()));
    }
    Api.Response answer = f.api.post("/v1/ingest/device_stats", new JsonObject().put("rows", rows));
    assertEquals(400, answer.status(), answer.body().toString());
    assertEquals("bad_request", answer.json().getString("error"));
    assertTrue(answer.json().getString("message").contains("121 months"), answer.body().toString());
    assertEquals(0, f.historyCount("device_stats"));
    assertEquals(4, attached().size(), attached().toString());
  }

  @Test
  void partitionDroppedByAnotherInstance_theNextWriteMakesItAgain() {
    f.ingest("profile", profile(1, "2024-03-10T12:00:00Z"));
    assertTrue(f.freshet.tiers().cold().partitions().names().contains("feature_history_2024_03"));
    f.freshet.pool().query("DROP TABLE feature_history_2024_03").execute().await();

    f.ingest("profile", profile(2, "2024-03-20T12:00:00Z"));
    assertTrue(attached().contains("feature_history_2024_03"));
    assertEquals(1, f.historyCount("profile"));
  }

  /** Device d1 has one record on the 15th of every month from June to November 2026. */
  private void sixMonthsOfDevice() {
    List<JsonObject> rows = new ArrayList<>();
    for (int month = 6; month <= 11; month++) {
      rows.add(device("d1", String.format("2026-%02d-15T00:00:00Z", month)));
    }
    f.ingest("device_stats", rows.toArray(new JsonObject[0]));
    assertTrue(
        attached()
            .containsAll(
                Set.of(
                    "feature_history_2026_06",
                    "feature_history_2026_07",
                    "feature_history_2026_12",
                    "feature_history_2027_02")));
  }

  private Set<String> partitionsIn(String statement, Tuple params) {
    Set<String> partitions = new TreeSet<>();
    StringBuilder plan = new StringBuilder();
    for (Row row :
        f.freshet
            .pool()
            .preparedQuery("EXPLAIN (COSTS OFF) " + statement)
            .execute(params)
            .await()) {
      plan.append(row.getString(0)).append('\n');
      Matcher m = PARTITION.matcher(row.getString(0));
      while (m.find()) {
        partitions.add(m.group());
      }
    }
    System.out.println(plan);
    return partitions;
  }

  private static OffsetDateTime at(String instant) {
    return Timestamps.toOffsetDateTime(Timestamps.toMicros(Instant.parse(instant)));
  }

  @Test
  void asOfLookup_readsOnlyTheMonthsWithinTheTtl() {
    sixMonthsOfDevice();
    // device_stats keeps values 30 days: at the 5th of November, nothing before the 6th of
    // October can be used.
    Tuple params =
        Tuple.of(
            "device_stats",
            "d1",
            at("2026-11-05T00:00:00Z"),
            at(FreshetFixture.T0.toString()),
            at("2026-10-06T00:00:00Z"));
    assertEquals(
        Set.of("feature_history_2026_10", "feature_history_2026_11"),
        partitionsIn(PgColdTier.AS_OF, params));

    Api.Response answer = f.api.get("/v1/features/device_stats/d1?at=2026-11-05T00:00:00Z");
    assertEquals(200, answer.status(), answer.body().toString());
    assertEquals("2026-10-15T00:00:00Z", answer.json().getString("event_timestamp"));
  }

  @Test
  void snapshotScan_readsOnlyTheMonthsItsRowsCanUse() {
    sixMonthsOfDevice();
    // Rows from the 20th of September to the 10th of November, ttl 30 days: August 21st onwards.
    Tuple params =
        Tuple.tuple()
            .addString("device_stats")
            .addArrayOfString(new String[] {"d1"})
            .addArrayOfOffsetDateTime(new OffsetDateTime[] {at("2026-09-20T00:00:00Z")})
            .addArrayOfOffsetDateTime(new OffsetDateTime[] {at("2026-11-10T00:00:00Z")})
            .addOffsetDateTime(at(FreshetFixture.T0.toString()))
            .addBoolean(false)
            .addArrayOfOffsetDateTime(new OffsetDateTime[] {at("2026-08-21T00:00:00Z")})
            .addOffsetDateTime(at("2026-08-21T00:00:00Z"))
            .addOffsetDateTime(at("2026-11-10T00:00:00Z"));
    assertEquals(
        Set.of(
            "feature_history_2026_08",
            "feature_history_2026_09",
            "feature_history_2026_10",
            "feature_history_2026_11"),
        partitionsIn(PgColdTier.HISTORY, params));

    JsonObject request =
        new JsonObject()
            .put("features", new JsonArray().add("device_stats:logins"))
            .put("include_timestamps", true)
            .put(
                "rows",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("device_id", "d1")
                            .put("timestamp", "2026-09-20T00:00:00Z"))
                    .add(
                        new JsonObject()
                            .put("device_id", "d1")
                            .put("timestamp", "2026-11-10T00:00:00Z")));
    Api.Response snapshot = f.api.post("/v1/features/historical", request);
    assertEquals(200, snapshot.status(), snapshot.body().toString());
    String[] lines = snapshot.body().toString().split("\n");
    assertEquals(
        "2026-09-15T00:00:00Z",
        new JsonObject(lines[0]).getString("device_stats:logins__event_timestamp"));
    assertEquals(
        "2026-10-15T00:00:00Z",
        new JsonObject(lines[1]).getString("device_stats:logins__event_timestamp"));
  }
}
