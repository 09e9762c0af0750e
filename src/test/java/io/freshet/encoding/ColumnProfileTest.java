package io.freshet.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.ValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A column's profile: top values exact for a few categories and within the sketch's bound past it;
 * numbers exact in count, range and mean, and decile edges within the documented rank error when a
 * large snapshot's quantiles come from a sample of its rows.
 */
class ColumnProfileTest {

  private static final int CHUNK = 4096;

  @Test
  void fewCategoriesAreCountedExactlyAcrossChunks() {
    ColumnProfile whole = new ColumnProfile(ValueType.STRING);
    for (int chunk = 0; chunk < 3; chunk++) {
      ChunkLevels levels = ChunkLevels.of(chunk * 1001, 1001);
      ChunkProfile part = whole.chunk(levels, 3003);
      Object[] plans = new Object[1001];
      for (int row = 0; row < 1000; row++) {
        plans[row] = row % 10 == 0 ? "pro" : "basic";
      }
      add(part, levels, plans);
      whole.merge(part);
    }
    JsonObject profile = whole.toJson("plan");
    assertEquals(3000, profile.getLong("count"));
    assertEquals(3, profile.getLong("nulls"));
    JsonArray top = profile.getJsonArray("top");
    assertEquals(new JsonObject().put("value", "basic").put("count", 2700L), top.getJsonObject(0));
    assertEquals(new JsonObject().put("value", "pro").put("count", 300L), top.getJsonObject(1));
    assertEquals(0, profile.getLong("other"));
  }

  @Test
  void booleansAreCountedExactlyAcrossChunksAndListedAsBooleans() {
    ColumnProfile whole = new ColumnProfile(ValueType.BOOL);
    for (int chunk = 0; chunk < 3; chunk++) {
      ChunkLevels levels = ChunkLevels.of(chunk * 1000, 1000);
      ChunkProfile part = whole.chunk(levels, 3000);
      Object[] premium = new Object[1000];
      for (int row = 0; row < 1000; row++) {
        premium[row] = row % 7 == 0 ? null : row % 4 == 0;
      }
      add(part, levels, premium);
      whole.merge(part);
    }
    // Per chunk: 143 nulls (rows 0, 7, .. 994); 214 true (a multiple of 4 but not of 7), 643 false.
    JsonObject profile = whole.toJson("premium_plan");
    assertEquals(3 * 857, profile.getLong("count"));
    assertEquals(3 * 143, profile.getLong("nulls"));
    JsonArray top = profile.getJsonArray("top");
    assertEquals(new JsonObject().put("value", false).put("count", 3 * 643L), top.getJsonObject(0));
    assertEquals(new JsonObject().put("value", true).put("count", 3 * 214L), top.getJsonObject(1));
    assertEquals(2, top.size());
    assertEquals(0, profile.getLong("other"));
  }

  @Test
  void manyDistinctValuesStayWithinTheSketchBound() {
    ColumnProfile whole = new ColumnProfile(ValueType.STRING);
    ChunkLevels levels = ChunkLevels.of(0, 6000);
    ChunkProfile part = whole.chunk(levels, 6000);
    // More distinct values in one chunk than the map holds, so the exact counts are flushed into
    // the sketch part-way through, and the frequent value is seen on both sides of the flush.
    Object[] agents = new Object[6000];
    for (int row = 0; row < 6000; row++) {
      agents[row] = row % 3 == 0 ? "hot" : "v" + row;
    }
    add(part, levels, agents);
    whole.merge(part);
    JsonObject first = whole.toJson("agent").getJsonArray("top").getJsonObject(0);
    assertEquals("hot", first.getString("value"));
    // No count is off by more than 3.5/1024 of the rows (ColumnProfile.ITEMS_MAP_SIZE).
    long bound = (long) Math.ceil(3.5 / ColumnProfile.ITEMS_MAP_SIZE * 6000);
    assertTrue(Math.abs(first.getLong("count") - 2000) <= bound, first.encode());
  }

  @Test
  void aNaNMakesTheRangeNaNWhereverItComes() {
    // As Math.min and max would: the range's comparisons are strict, and NaN is handled apart.
    for (Object[] column :
        new Object[][] {{Double.NaN, 1.0, 3.0}, {1.0, Double.NaN, 3.0}, {1.0, 3.0, Double.NaN}}) {
      ColumnProfile whole = new ColumnProfile(ValueType.FLOAT64);
      ChunkLevels levels = ChunkLevels.of(0, column.length);
      ChunkProfile part = whole.chunk(levels, column.length);
      add(part, levels, column);
      whole.merge(part);
      JsonObject profile = whole.toJson("x");
      assertEquals(3, profile.getLong("count"), Arrays.toString(column));
      assertTrue(Double.isNaN(profile.getDouble("min")), Arrays.toString(column));
      assertTrue(Double.isNaN(profile.getDouble("max")), Arrays.toString(column));
    }
  }

  @Test
  void aColumnOfFewValuesHasItsExactRange() {
    ColumnProfile whole = new ColumnProfile(ValueType.INT64);
    Object[] tickets = new Object[5000];
    for (int row = 0; row < tickets.length; row++) {
      tickets[row] = row % 7 == 3 ? null : (long) (row * 31 % 4);
    }
    ChunkLevels levels = ChunkLevels.of(0, tickets.length);
    ChunkProfile part = whole.chunk(levels, tickets.length);
    add(part, levels, tickets);
    whole.merge(part);
    JsonObject profile = whole.toJson("open_tickets");
    assertEquals(0L, profile.getLong("min"));
    assertEquals(3L, profile.getLong("max"));
    assertEquals(714, profile.getLong("nulls"));
  }

  @Test
  void aColumnSamplesAtTheRateThatLeavesItTheFloor() {
    assertEquals(0, SampleLevel.forColumn(2L * SampleLevel.FLOOR - 1, 1, 1));
    assertEquals(1, SampleLevel.forColumn(2L * SampleLevel.FLOOR, 1, 1));
    // 20,000 values in the first fifth of 100,000 rows: about 100,000 to come, 1 in 8.
    assertEquals(3, SampleLevel.forColumn(20_000, 20_000, 100_000));
    assertEquals(6, SampleLevel.forColumn(20_000, 20_000, 1_000_000));
    int[] taken = new int[4];
    for (int row = 0; row < 100_000; row++) {
      for (int level = 0; level < taken.length; level++) {
        taken[level] += SampleLevel.of(row) >= level ? 1 : 0;
      }
    }
    assertEquals(100_000, taken[0]);
    for (int level = 1; level < taken.length; level++) {
      double share = taken[level] / 100_000.0;
      assertEquals(1.0 / (1 << level), share, 0.005, "level " + level);
    }
  }

  @Test
  void aLargeColumnIsExactButForItsEdgesAndTheyStayWithinTheRankBound() {
    int rows = 200_000;
    SplittableRandom random = new SplittableRandom(7);
    double[] values = new double[rows];
    for (int row = 0; row < rows; row++) {
      // Whole numbers, so the chunked sum is the exact one and the mean can be compared as bits.
      values[row] = Math.floor(Math.exp(random.nextDouble() * 10));
    }
    ColumnProfile whole = profile(ValueType.FLOAT64, values, rows);
    JsonObject profile = whole.toJson("spend");
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    assertEquals(rows, profile.getLong("count"));
    assertEquals(sorted[0], profile.getDouble("min"));
    assertEquals(sorted[rows - 1], profile.getDouble("max"));
    assertEquals(Arrays.stream(values).sum() / rows, profile.getDouble("mean"));
    JsonArray edges = profile.getJsonArray("edges");
    // 200,000 values sampled 1 in 16: KLL's 1.65% and the sample's own, 2.58 standard errors of a
    // rank from 12,500 values, 1.2%.
    double bound = 0.0165 + 0.0116;
    for (int i = 0; i < edges.size() - 1; i++) {
      double edge = edges.getDouble(i);
      double below = rankBelow(sorted, edge);
      double atOrBelow = rankAtOrBelow(sorted, edge);
      double wanted = (i + 1) / 10.0;
      assertTrue(
          below - bound <= wanted && wanted <= atOrBelow + bound,
          "edge " + i + " = " + edge + " has rank " + below + ".." + atOrBelow);
    }
    assertEquals(sorted[rows - 1], edges.getDouble(edges.size() - 1));
    assertTrue(sketch(whole).getN() < rows / 4, "the sketch was fed a sample, not every row");
  }

  @Test
  void aSmallSnapshotFeedsEveryValueToItsQuantiles() {
    double[] values = new double[10_000];
    Arrays.setAll(values, row -> row % 97);
    ColumnProfile whole = profile(ValueType.INT64, values, values.length);
    assertEquals(values.length, sketch(whole).getN());
  }

  @ParameterizedTest
  @ValueSource(ints = {100, 10, 4})
  void aMostlyNullColumnOfALargeSnapshotKeepsEveryValueItHas(int everyNthRow) {
    int rows = 200_000;
    double[] values = new double[rows];
    Arrays.fill(values, Double.NaN);
    for (int row = 0; row < rows; row += everyNthRow) {
      values[row] = row;
    }
    ColumnProfile whole = profile(ValueType.INT64, values, rows);
    JsonObject profile = whole.toJson("rare");
    long count = rows / everyNthRow;
    assertEquals(count, profile.getLong("count"));
    assertEquals(rows - count, profile.getLong("nulls"));
    long sampled = sketch(whole).getN();
    if (count <= ColumnProfile.HEAD) {
      assertEquals(count, sampled, "few values: every one is in the sketch");
    } else {
      // Sampled at the rate that leaves it about FLOOR values, not at the snapshot's rate.
      assertTrue(sampled >= SampleLevel.FLOOR * 0.95 && sampled < count, "sampled " + sampled);
    }
  }

  /** Profiles {@code values} as the snapshot encoder does, NaN standing for null. */
  private static ColumnProfile profile(ValueType type, double[] values, int rows) {
    ColumnProfile whole = new ColumnProfile(type);
    for (int from = 0; from < rows; from += CHUNK) {
      int to = Math.min(rows, from + CHUNK);
      ChunkLevels levels = ChunkLevels.of(from, to - from);
      ChunkProfile part = whole.chunk(levels, rows);
      Object[] column = new Object[to - from];
      for (int row = from; row < to; row++) {
        double x = values[row];
        column[row - from] =
            Double.isNaN(x) ? null : type == ValueType.INT64 ? (Object) (long) x : x;
      }
      add(part, levels, column);
      whole.merge(part);
    }
    return whole;
  }

  /**
   * Profiles {@code column} as the encoder does, a value a row, as a chunk's rows of {@code
   * levels}.
   */
  private static void add(ChunkProfile part, ChunkLevels levels, Object[] column) {
    for (int i = 0; i < column.length; i++) {
      part.add(column[i], levels.levels()[i]);
    }
  }

  private static KllDoublesSketch sketch(ColumnProfile profile) {
    return KllDoublesSketch.heapify(Memory.wrap(Base64.getDecoder().decode(profile.sketch())));
  }

  private static double rankBelow(double[] sorted, double x) {
    int i = Arrays.binarySearch(sorted, x);
    if (i < 0) {
      return (-i - 1) / (double) sorted.length;
    }
    while (i > 0 && sorted[i - 1] == x) {
      i--;
    }
    return i / (double) sorted.length;
  }

  private static double rankAtOrBelow(double[] sorted, double x) {
    int i = Arrays.binarySearch(sorted, x);
    if (i < 0) {
      return (-i - 1) / (double) sorted.length;
    }
    while (i < sorted.length - 1 && sorted[i + 1] == x) {
      i++;
    }
    return (i + 1) / (double) sorted.length;
  }
}
