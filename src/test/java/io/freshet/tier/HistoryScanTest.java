package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.Timestamps;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cold tier's as-of scan against real Postgres: what range of each key's history it sends, in
 * what order, in chunks no bigger than asked, and that a consumer's failure stops it cleanly.
 */
@ExtendWith(VertxExtension.class)
class HistoryScanTest {

  private static FreshetFixture f;
  private static ColdTier cold;
  private static long cutoff;

  private static long minutesBeforeT0(int minutes) {
    return Timestamps.toMicros(FreshetFixture.T0.minus(Duration.ofMinutes(minutes)));
  }

  private static JsonObject profile(int user, int minutesBeforeT0, int age) {
    return new JsonObject()
        .put("user_id", user)
        .put("event_timestamp", FreshetFixture.at(Duration.ofMinutes(minutesBeforeT0)))
        .put("age", age)
        .put("plan", "pro");
  }

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
    cold = f.freshet.tiers().cold();
    // User 1: events at -50, -40, -30, -20 and -10 minutes; user 2: one at -25.
    f.ingest(
        "profile",
        profile(1, 50, 1),
        profile(1, 40, 2),
        profile(1, 30, 3),
        profile(1, 20, 4),
        profile(1, 10, 5),
        profile(2, 25, 6));
    f.clock.advance(Duration.ofSeconds(1));
    cutoff = Timestamps.nowMicros(f.clock);
    f.clock.advance(Duration.ofSeconds(1));
    // Ingested after the cutoff: a correction of -30 and a new event at -35; neither may be sent.
    f.ingest("profile", profile(1, 30, 33), profile(1, 35, 35));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  /** One scanned record: key position, event time and the stored age. */
  private record Seen(int entity, long event, int age) {}

  private static List<Seen> scan(
      String[] keys, long[] since, long[] until, long cutoffMicros, List<Integer> chunkSizes) {
    return scan(keys, since, until, cutoffMicros, false, chunkSizes);
  }

  private static List<Seen> scan(
      String[] keys,
      long[] since,
      long[] until,
      long cutoffMicros,
      boolean asKnownAtRow,
      List<Integer> chunkSizes) {
    List<Seen> seen = new ArrayList<>();
    cold.scanHistory(
            "profile",
            keys,
            since,
            until,
            cutoffMicros,
            asKnownAtRow,
            Long.MAX_VALUE,
            2,
            chunk -> {
              chunkSizes.add(chunk.size());
              for (int i = 0; i < chunk.size(); i++) {
                seen.add(
                    new Seen(
                        chunk.entity(i),
                        chunk.event(i),
                        new JsonObject(chunk.values(i)).getInteger("age")));
              }
              return Future.succeededFuture();
            })
        .await();
    return seen;
  }

  @Test
  void scan_sendsFromTheRecordInForceAtSinceUpToUntil_inKeyThenTimeOrder_inSmallChunks() {
    List<Integer> chunkSizes = new ArrayList<>();
    // Key 0 has no history at all; user 1 labelled between -33 and -15 minutes; user 2 at -60.
    List<Seen> seen =
        scan(
            new String[] {"99", "1", "2"},
            new long[] {minutesBeforeT0(5), minutesBeforeT0(33), minutesBeforeT0(60)},
            new long[] {minutesBeforeT0(5), minutesBeforeT0(15), minutesBeforeT0(60)},
            cutoff,
            chunkSizes);
    assertEquals(
        List.of(
            new Seen(1, minutesBeforeT0(40), 2),
            new Seen(1, minutesBeforeT0(30), 3),
            new Seen(1, minutesBeforeT0(20), 4)),
        seen,
        "from the record in force at -33 (the one at -40) to the last at or before -15");
    assertTrue(chunkSizes.stream().allMatch(size -> size <= 2), chunkSizes.toString());
  }

  @Test
  void scan_atTheLatestCutoff_seesTheLaterCorrectionAfterTheOriginal() {
    List<Seen> seen =
        scan(
            new String[] {"1"},
            new long[] {minutesBeforeT0(30)},
            new long[] {minutesBeforeT0(30)},
            Timestamps.nowMicros(f.clock),
            new ArrayList<>());
    assertEquals(
        List.of(new Seen(0, minutesBeforeT0(30), 3), new Seen(0, minutesBeforeT0(30), 33)),
        seen,
        "both records of -30, the correction (ingested later) last");
  }

  /**
   * User 3: an event at -50 ingested first, a backfill at -45 ingested 10 minutes later, another at
   * -40 ingested 30 minutes later. Labelled from +5 to +20 minutes after the first ingest.
   */
  @Test
  void scanAsKnownAtRow_startsFromTheRecordIngestedBySince_leavesOutWhatCameAfterUntil() {
    long first = Timestamps.nowMicros(f.clock);
    f.ingest("profile", profile(3, 50, 7));
    f.clock.advance(Duration.ofMinutes(10));
    f.ingest("profile", profile(3, 45, 8));
    f.clock.advance(Duration.ofMinutes(20));
    f.ingest("profile", profile(3, 40, 9));
    long since = first + Duration.ofMinutes(5).toNanos() / 1000;
    long until = first + Duration.ofMinutes(20).toNanos() / 1000;
    long now = Timestamps.nowMicros(f.clock);
    String[] keys = {"3"};
    assertEquals(
        List.of(new Seen(0, minutesBeforeT0(50), 7), new Seen(0, minutesBeforeT0(45), 8)),
        scan(keys, new long[] {since}, new long[] {until}, now, true, new ArrayList<>()),
        "as known at +5 the record in force is -50's; -45's came by +20, -40's after it");
    assertEquals(
        List.of(new Seen(0, minutesBeforeT0(40), 9)),
        scan(keys, new long[] {since}, new long[] {until}, now, false, new ArrayList<>()),
        "as known at the cutoff the record in force at +5 is -40's, backfilled");
  }

  @Test
  void consumerFailure_stopsTheScanAndFreesTheConnection() {
    Future<Void> scan =
        cold.scanHistory(
            "profile",
            new String[] {"1"},
            new long[] {minutesBeforeT0(60)},
            new long[] {minutesBeforeT0(0)},
            cutoff,
            false,
            Long.MAX_VALUE,
            1,
            chunk -> Future.failedFuture(new IllegalStateException("client went away")));
    assertEquals(
        "client went away",
        scan.transform(done -> Future.succeededFuture(done.cause().getMessage())).await());
    // Every connection of the pool is still usable.
    for (int i = 0; i < 2 * f.options.pgPoolSize(); i++) {
      f.freshet.pool().query("SELECT 1").execute().await();
    }
  }
}
