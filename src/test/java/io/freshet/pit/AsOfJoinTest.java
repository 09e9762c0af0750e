package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.registry.FeatureView;
import io.freshet.registry.SchemaLoader;
import io.freshet.selection.Column;
import io.freshet.tier.HistoryChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The as-of merge alone, against a brute-force oracle: random histories with ties in event time
 * (corrections), labels before, at and after events, the scan cut into chunks of one to five
 * records so entities straddle chunks, and the entities split into one to four parts; as known at
 * the cutoff, and as known at each row with records ingested late and backfilled out of order.
 */
class AsOfJoinTest {

  private static FeatureView profile;
  private static List<Column.Raw> features;

  @BeforeAll
  static void load() throws Exception {
    profile =
        SchemaLoader.load(Path.of("src/test/resources/schemas")).views().stream()
            .filter(v -> v.name().equals("profile"))
            .findFirst()
            .orElseThrow();
    features = new ArrayList<>();
    for (String name : List.of("age", "plan", "score", "active")) {
      features.add(new Column.Raw("profile:" + name, profile, profile.feature(name).orElseThrow()));
    }
  }

  /** One stored record of the oracle's history. */
  private record Rec(long entity, long event, long ingested, int age, String plan, Double score) {
    String json() {
      return "{\"age\": "
          + age
          + ", \"plan\": \""
          + plan
          + "\", \"score\": "
          + score
          + ", \"other\": {\"nested\": [1, 2]}}";
    }
  }

  @Test
  void randomHistories_everyRowGetsTheOracleRecord_anyChunkingAnyParts() {
    randomRounds(AsKnown.CUTOFF, new Random(20261204));
  }

  @Test
  void randomHistoriesAsKnownAtRow_everyRowGetsTheRecordIngestedByItsTime() {
    randomRounds(AsKnown.ROW, new Random(20261206));
  }

  private static void randomRounds(AsKnown asKnown, Random random) {
    int backfilled = 0;
    for (int round = 0; round < 80; round++) {
      int entities = 1 + random.nextInt(40);
      List<Rec> history = new ArrayList<>();
      for (int e = 0; e < entities; e++) {
        int records = random.nextInt(6);
        for (int i = 0; i < records; i++) {
          long event = random.nextInt(20) * 10L;
          history.add(
              new Rec(
                  e,
                  event,
                  ingestedAt(asKnown, history, e, event, random),
                  random.nextInt(100),
                  random.nextBoolean() ? "basic" : "pro",
                  random.nextInt(4) == 0 ? null : random.nextInt(1000) / 100.0));
        }
      }
      LabelTable labels = new LabelTable(1);
      int rows = 1 + random.nextInt(200);
      for (int r = 0; r < rows; r++) {
        labels.add(new Object[] {(long) random.nextInt(entities + 3)}, random.nextInt(220) - 10);
      }
      int parts = 1 + random.nextInt(4);
      AsOfJoin join = new AsOfJoin(profile, features, labels, 0, parts, asKnown);
      for (AsOfJoin.Part part : join.parts()) {
        feed(part, history, asKnown, random);
        part.finish();
      }
      for (int r = 0; r < rows; r++) {
        long entity = (Long) labels.keyOf(r, 0);
        long at = labels.at(r);
        Rec expected = asOf(history, entity, at, asKnown);
        String where = "round " + round + " row " + r + " entity " + entity + " at " + at;
        if (asKnown == AsKnown.ROW
            && !java.util.Objects.equals(expected, asOf(history, entity, at, AsKnown.CUTOFF))) {
          backfilled++;
        }
        if (expected == null) {
          assertFalse(join.matched(r), where);
          continue;
        }
        assertTrue(join.matched(r), where);
        assertEquals(expected.event(), join.event(r), where);
        assertEquals((long) expected.age(), join.value(0, r), where);
        assertEquals(expected.plan(), join.value(1, r), where);
        assertEquals(expected.score(), join.value(2, r), where);
        assertEquals(null, join.value(3, r), where + ": absent from the record reads as null");
      }
    }
    if (asKnown == AsKnown.ROW) {
      assertTrue(backfilled > 100, "rows whose record differs as known at the row: " + backfilled);
    }
  }

  /**
   * Ingestion times: increasing with the history as written, as known at the cutoff; as known at
   * each row, an event's own time plus a delay, now and then a long one (a backfill), distinct for
   * each entity's event time.
   */
  private static long ingestedAt(
      AsKnown asKnown, List<Rec> history, long entity, long event, Random random) {
    if (asKnown == AsKnown.CUTOFF) {
      return 1000 + history.size();
    }
    long ingested =
        event + (random.nextInt(4) == 0 ? 50 + random.nextInt(200) : random.nextInt(15));
    while (true) {
      long candidate = ingested;
      if (history.stream()
          .noneMatch(
              h -> h.entity() == entity && h.event() == event && h.ingested() == candidate)) {
        return ingested;
      }
      ingested++;
    }
  }

  /** The oracle: the greatest (event, ingested) at or before {@code at}, ingested by then too. */
  private static Rec asOf(List<Rec> history, long entity, long at, AsKnown asKnown) {
    return history.stream()
        .filter(h -> h.entity() == entity && h.event() <= at)
        .filter(h -> asKnown == AsKnown.CUTOFF || h.ingested() <= at)
        .max(Comparator.comparingLong(Rec::event).thenComparingLong(Rec::ingested))
        .orElse(null);
  }

  /**
   * Feeds a part what the cold tier would send it: its entities' records from the as-of record at
   * each one's first label time up to its last label time, in key then time order, in small chunks.
   */
  private static void feed(AsOfJoin.Part part, List<Rec> history, AsKnown asKnown, Random random) {
    String[] keys = part.keys();
    long[] since = part.since();
    long[] until = part.until();
    List<Integer> positions = new ArrayList<>();
    List<Rec> scan = new ArrayList<>();
    for (int k = 0; k < keys.length; k++) {
      long entity = Long.parseLong(keys[k]);
      long from = since[k];
      Rec inForce = asOf(history, entity, from, asKnown);
      long floor = inForce == null ? Long.MIN_VALUE : inForce.event();
      long to = until[k];
      int position = k;
      history.stream()
          .filter(h -> h.entity() == entity && h.event() >= floor && h.event() <= to)
          .filter(h -> asKnown == AsKnown.CUTOFF || h.ingested() <= to)
          .sorted(Comparator.comparingLong(Rec::event).thenComparingLong(Rec::ingested))
          .forEach(
              h -> {
                scan.add(h);
                positions.add(position);
              });
    }
    int i = 0;
    while (i < scan.size()) {
      int size = Math.min(scan.size() - i, 1 + random.nextInt(5));
      int[] entities = new int[size];
      long[] events = new long[size];
      long[] ingested = new long[size];
      String[] values = new String[size];
      for (int c = 0; c < size; c++) {
        Rec rec = scan.get(i + c);
        entities[c] = positions.get(i + c);
        events[c] = rec.event();
        ingested[c] = rec.ingested();
        values[c] = rec.json();
      }
      part.accept(new HistoryChunk(entities, events, ingested, values));
      i += size;
    }
  }

  @Test
  void historyOutOfOrder_isRefusedNotMerged() {
    LabelTable labels = new LabelTable(1);
    labels.add(new Object[] {1L}, 100);
    labels.add(new Object[] {2L}, 100);
    AsOfJoin.Part part =
        new AsOfJoin(profile, features, labels, 0, 1, AsKnown.CUTOFF).parts().get(0);
    String values = "{\"age\": 1, \"plan\": \"pro\"}";
    part.accept(
        new HistoryChunk(new int[] {1}, new long[] {50}, new long[] {60}, new String[] {values}));
    assertThrows(
        IllegalStateException.class,
        () ->
            part.accept(
                new HistoryChunk(
                    new int[] {0}, new long[] {40}, new long[] {60}, new String[] {values})));
    AsOfJoin.Part other =
        new AsOfJoin(profile, features, labels, 0, 1, AsKnown.CUTOFF).parts().get(0);
    other.accept(
        new HistoryChunk(new int[] {0}, new long[] {50}, new long[] {60}, new String[] {values}));
    assertThrows(
        IllegalStateException.class,
        () ->
            other.accept(
                new HistoryChunk(
                    new int[] {0}, new long[] {50}, new long[] {60}, new String[] {values})));
  }
}
