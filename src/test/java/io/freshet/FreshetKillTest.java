package io.freshet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.config.FreshetOptions;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MainProcess;
import io.freshet.testing.MixedLoad;
import io.freshet.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real process SIGKILLed under concurrent writes and reads, then started again over the same
 * Postgres schema and Redis keys: nothing acknowledged is lost, no batch is half-written, and the
 * restarted store serves at least what was acknowledged.
 */
@ExtendWith(VertxExtension.class)
class FreshetKillTest {

  private static final int WRITERS = 4;

  @Test
  @Timeout(120)
  void sigkillUnderLoad_acknowledgedDurable_noHalfBatch_restartServesAtLeastAcknowledged(
      Vertx vertx) {
    String id = "test_kill_" + Long.toHexString(System.nanoTime());
    FreshetOptions options =
        FreshetOptions.fromEnv(System.getenv())
            .httpPort(FreshetFixture.freePort())
            .schemasDir(FreshetFixture.TEST_SCHEMAS)
            .redisUrl(FreshetFixture.TEST_REDIS_URL)
            .pgSchema(id)
            .redisKeyPrefix("freshet-test:" + id + ":")
            .writeToken(null)
            .readToken(null);
    Map<String, String> env = new HashMap<>();
    env.put("FRESHET_HTTP_PORT", Integer.toString(options.httpPort()));
    env.put("FRESHET_SCHEMAS_DIR", options.schemasDir().toString());
    env.put("FRESHET_PG_SCHEMA", id);
    env.put("FRESHET_REDIS_KEY_PREFIX", options.redisKeyPrefix());
    MixedLoad load;
    try (MainProcess main = MainProcess.start(env)) {
      assertTrue(main.awaitOutput("freshet listening on", Duration.ofSeconds(60)), main.output());
      // No readers: the process runs on the real clock, so these old events read as MISSING.
      load = new MixedLoad(vertx, options.httpPort(), WRITERS, 0, true);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!load.eachWriter(20, 0, b -> b.status() == 200) && System.nanoTime() < deadline) {
        vertx.timer(10).await();
      }
      main.kill();
      load.close();
    }
    assertEquals(List.of(), load.violations());
    assertTrue(load.eachWriter(20, 0, b -> b.status() == 200), "writes before the kill");

    // Started again in process over the same schema and prefix; closing it drops both.
    try (FreshetFixture restarted =
        FreshetFixture.startWith(vertx, options.validate(), new MutableClock(FreshetFixture.T0))) {
      List<String> stored = MixedLoad.storedRows(vertx, options.pgUrl(), id);
      List<String> acked = load.acknowledgedRows();
      assertTrue(new HashSet<>(stored).containsAll(acked), "an acknowledged row is missing");
      assertOnlyWholeInDoubtBatches(load, stored, new HashSet<>(acked));
      for (int w = 0; w < WRITERS; w++) {
        assertServesAtLeastAcknowledged(restarted, load, w);
      }
    }
  }

  /** Rows beyond the acknowledged ones come from batches that got no answer, and whole. */
  private static void assertOnlyWholeInDoubtBatches(
      MixedLoad load, List<String> stored, Set<String> acked) {
    Set<String> inDoubt = new HashSet<>();
    load.batches().stream()
        .filter(b -> b.status() == 0)
        .forEach(b -> inDoubt.add(b.writer() + "/" + b.seq()));
    Map<String, Integer> rowsPerBatch = new HashMap<>();
    for (String row : stored) {
      if (!acked.contains(row)) {
        String[] fields = row.split(" ");
        long entity = Long.parseLong(fields[0]);
        String batch = (entity / 1000 - 1) + "/" + MixedLoad.seqOf(Instant.parse(fields[1]));
        assertTrue(
            inDoubt.contains(batch), "row of a batch that was refused or never sent: " + row);
        rowsPerBatch.merge(batch, 1, Integer::sum);
      }
    }
    rowsPerBatch.forEach(
        (batch, rows) ->
            assertEquals(MixedLoad.ENTITIES_PER_WRITER, rows, "batch " + batch + " half-written"));
  }

  private static void assertServesAtLeastAcknowledged(FreshetFixture f, MixedLoad load, int w) {
    List<Long> ids = new java.util.ArrayList<>();
    for (int j = 0; j < MixedLoad.ENTITIES_PER_WRITER; j++) {
      ids.add(MixedLoad.entity(w, j));
    }
    JsonArray results = f.online(MixedLoad.readRequest(ids)).json().getJsonArray("results");
    for (int j = 0; j < ids.size(); j++) {
      JsonObject meta = results.getJsonObject(j).getJsonObject("meta").getJsonObject("profile:age");
      int seq = MixedLoad.seqOf(Instant.parse(meta.getString("event_timestamp")));
      assertTrue(
          seq >= load.lastAcked(w),
          "entity " + ids.get(j) + " served batch " + seq + ", acked " + load.lastAcked(w));
      assertEquals(
          MixedLoad.age(seq, j),
          results.getJsonObject(j).getJsonObject("values").getInteger("profile:age"));
    }
  }
}
