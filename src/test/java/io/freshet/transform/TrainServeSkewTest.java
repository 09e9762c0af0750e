package io.freshet.transform;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Train/serve skew, measured: with the clock fixed at T, every value an online read serves (raw and
 * transformed, from the hot, warm and cold tiers in turn) equals the value a snapshot row at T
 * holds with freshness applied as serving applies it, bit for bit, with the same event time and
 * status. Histories are random: corrections, out-of-order events, values beyond ttl and past the
 * stale threshold, entities with no data.
 */
@ExtendWith(VertxExtension.class)
class TrainServeSkewTest {

  private static final long SEED = Long.getLong("freshet.skew.seed", 20261124L);
  private static final int USERS = 250;
  private static final String SERVICE = "skew_v1";
  private static final List<String> FITTED =
      List.of("score_z", "score_range", "score_filled", "age_bucket", "plan_index");

  private static FreshetFixture f;
  private static Instant at;

  @BeforeAll
  @Timeout(90)
  static void start(Vertx vertx) {
    System.out.println("TrainServeSkewTest seed = " + SEED + " (-Dfreshet.skew.seed=N to change)");
    Random rnd = new Random(SEED);
    f = FreshetFixture.start(vertx);
    at = FreshetFixture.T0;
    // Batches 15 minutes apart, the last one a minute before T: T itself is after every
    // ingested_at, so the snapshot's default cutoff (now) sees all of them, as serving does.
    f.clock.set(at.minus(Duration.ofMinutes(76)));
    for (int batch = 0; batch < 6; batch++) {
      ingestBatch(rnd, "profile");
      ingestBatch(rnd, "risk");
      f.clock.advance(Duration.ofMinutes(15));
    }
    f.clock.set(at);
    String raw =
        snapshot(
            new JsonObject()
                .put(
                    "features",
                    new JsonArray(List.of("profile:score", "profile:age", "profile:plan"))));
    for (String name : FITTED) {
      Api.Response fitted =
          f.api.post(
              "/v1/transformations/" + name + "/fit", new JsonObject().put("snapshot_id", raw));
      assertEquals(200, fitted.status(), fitted.body()::toString);
    }
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  @Timeout(60)
  void everyOnlineCellFromEveryTier_equalsTheSnapshotCellAtTheSameTime() {
    JsonArray labels = new JsonArray();
    JsonArray ids = new JsonArray();
    for (long user = 0; user <= USERS; user++) {
      labels.add(new JsonObject().put("user_id", user).put("timestamp", at.toString()));
      ids.add(user);
    }
    Api.Response historical =
        f.api.post(
            "/v1/features/historical",
            new JsonObject()
                .put("feature_service", SERVICE)
                .put("include_timestamps", true)
                .put("apply_freshness", true)
                .put("include_status", true)
                .put("rows", labels)
                .put("format", "jsonl"));
    assertEquals(200, historical.status(), historical.body()::toString);
    List<JsonObject> snapshotRows = new ArrayList<>();
    for (String line : historical.body().toString().split("\n")) {
      snapshotRows.add(new JsonObject(line));
    }
    JsonObject read =
        new JsonObject()
            .put("feature_service", SERVICE)
            .put("entities", new JsonObject().put("user_id", ids));
    int cells = 0;
    List<String> mismatches = new ArrayList<>();
    for (String tier : List.of("hot", "warm", "cold")) {
      f.readFrom(tier);
      Api.Response online = f.online(read);
      assertEquals(200, online.status(), online.body()::toString);
      JsonArray columns = online.json().getJsonArray("features");
      JsonArray results = online.json().getJsonArray("results");
      for (int row = 0; row < results.size(); row++) {
        JsonObject served = results.getJsonObject(row);
        JsonObject trained = snapshotRows.get(row);
        for (Object c : columns) {
          String column = (String) c;
          cells++;
          Object servedValue = served.getJsonObject("values").getValue(column);
          Object trainedValue = trained.getValue(column);
          String servedTime =
              served.getJsonObject("meta").getJsonObject(column).getString("event_timestamp");
          String trainedTime = trained.getString(column + "__event_timestamp");
          String servedStatus =
              served.getJsonObject("meta").getJsonObject(column).getString("status");
          String trainedStatus = trained.getString(column + "__status");
          if (!sameBits(servedValue, trainedValue)
              || !Objects.equals(servedTime, trainedTime)
              || !servedStatus.equals(trainedStatus)) {
            mismatches.add(
                tier
                    + " user "
                    + row
                    + " "
                    + column
                    + ": served "
                    + servedValue
                    + " @ "
                    + servedTime
                    + " "
                    + servedStatus
                    + ", snapshot "
                    + trainedValue
                    + " @ "
                    + trainedTime
                    + " "
                    + trainedStatus);
          }
        }
      }
    }
    assertTrue(cells > 3 * USERS * 15, "compared " + cells + " cells");
    assertEquals(
        List.of(),
        mismatches.subList(0, Math.min(20, mismatches.size())),
        mismatches.size() + " of " + cells + " cells differ");
    // The data must exercise every branch: values, nulls, nullified ROTTEN risk, MISSING.
    assertTrue(count(snapshotRows, "score_z", true) > USERS / 4, "rows with score_z");
    assertTrue(count(snapshotRows, "risk_log", true) > USERS / 10, "rows with risk_log");
    assertTrue(count(snapshotRows, "risk_log", false) > USERS / 10, "rows without risk_log");
  }

  private static long count(List<JsonObject> rows, String column, boolean present) {
    return rows.stream().filter(r -> (r.getValue(column) != null) == present).count();
  }

  /** Doubles compared by their bits, not within a tolerance: the same engine must give the same. */
  private static boolean sameBits(Object a, Object b) {
    if (a instanceof Double && b instanceof Double) {
      return Double.doubleToRawLongBits((Double) a) == Double.doubleToRawLongBits((Double) b);
    }
    return Objects.equals(a, b);
  }

  private static void ingestBatch(Random rnd, String view) {
    List<JsonObject> rows = new ArrayList<>();
    Instant now = f.clock.instant();
    for (long user = 1; user <= USERS; user++) {
      // A tenth of the users never get this view; the rest sometimes skip a batch.
      if (user % 10 == (view.equals("profile") ? 0 : 5) || rnd.nextDouble() < 0.4) {
        continue;
      }
      // Up to 100 minutes before now: some beyond the 1h ttl, many past the 5m stale threshold,
      // out of order across batches; the same time again in a later batch is a correction.
      Instant event =
          now.minusSeconds(rnd.nextBoolean() ? rnd.nextInt(240) : rnd.nextInt(6000))
              .minusNanos(rnd.nextInt(1000) * 1000L);
      if (rnd.nextInt(8) == 0) {
        event = now.minusSeconds(rnd.nextInt(3) * 60L);
      }
      JsonObject row =
          new JsonObject().put("user_id", user).put("event_timestamp", event.toString());
      if (view.equals("profile")) {
        row.put("age", (long) rnd.nextInt(151))
            .put("plan", rnd.nextBoolean() ? "basic" : "pro")
            .put("score", rnd.nextInt(6) == 0 ? null : rnd.nextInt(2001) / 100.0 - 10)
            .put("active", rnd.nextInt(3) == 0 ? null : rnd.nextBoolean());
      } else {
        row.put("risk_score", rnd.nextInt(5) == 0 ? 0.0 : rnd.nextDouble() * 20 - 5);
      }
      rows.add(row);
    }
    f.ingest(view, rows.toArray(JsonObject[]::new));
  }

  private static String snapshot(JsonObject request) {
    JsonArray labels = new JsonArray();
    for (long user = 1; user <= USERS; user++) {
      labels.add(new JsonObject().put("user_id", user).put("timestamp", at.toString()));
    }
    Api.Response r = f.api.post("/v1/features/historical", request.put("rows", labels));
    assertEquals(200, r.status(), r.body()::toString);
    return r.snapshotId();
  }
}
