package io.freshet.encoding;

import io.freshet.model.Cell;
import io.freshet.model.CellMeta;
import io.freshet.model.ValueType;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * What a snapshot profile costs a value, in one thread with no services: a column of 100,000
 * values profiled as SnapshotEncoder does (a profile per 4,096-row chunk, a call a value as the
 * row writer hands it over, folded in order, the quantile sketch fed the sample SampleLevel chooses; making the cells is not
 * timed), for float64, int64 and a three-category string; and, beside it, the KLL sketch alone, fed
 * every value into one sketch and chunk by chunk with merges. Medians of the last ten of 30 rounds.
 */
public final class ProfileBench {

  private static final int ROWS = 100_000;
  private static final int CHUNK = 4096;

  public static void main(String[] args) {
    SplittableRandom random = new SplittableRandom(1);
    Object[] doubles = new Object[ROWS];
    Object[] longs = new Object[ROWS];
    Object[] strings = new Object[ROWS];
    double[] raw = new double[ROWS];
    String[] plans = {"basic", "pro", "team"};
    for (int i = 0; i < ROWS; i++) {
      raw[i] = random.nextDouble() * 500;
      doubles[i] = raw[i];
      longs[i] = (long) random.nextInt(5000);
      strings[i] = plans[random.nextInt(3)];
    }
    String[] names = {"float64", "int64", "string", "kll one sketch", "kll chunked + merged"};
    double[][] samples = new double[names.length][10];
    for (int round = 0; round < 30; round++) {
      long[] nanos = {
        profile(ValueType.FLOAT64, doubles),
        profile(ValueType.INT64, longs),
        profile(ValueType.STRING, strings),
        kllOne(raw),
        kllChunked(raw)
      };
      if (round >= 20) {
        for (int n = 0; n < names.length; n++) {
          samples[n][round - 20] = nanos[n] / (double) ROWS;
        }
      }
    }
    for (int n = 0; n < names.length; n++) {
      Arrays.sort(samples[n]);
      System.out.printf(
          Locale.ROOT,
          "PROFILE_RESULT what=\"%s\" ns_per_value=%.1f%n",
          names[n],
          samples[n][5]);
    }
  }

  private static long profile(ValueType type, Object[] values) {
    long nanos = 0;
    ColumnProfile whole = new ColumnProfile(type);
    for (int from = 0; from < values.length; from += CHUNK) {
      int to = Math.min(values.length, from + CHUNK);
      ChunkLevels levels = ChunkLevels.of(from, to - from);
      ChunkProfile part = whole.chunk(levels, values.length);
      Cell[] cells = new Cell[to - from];
      for (int i = from; i < to; i++) {
        cells[i - from] = new Cell(values[i], CellMeta.MISSING);
      }
      byte[] rowLevels = levels.levels();
      long start = System.nanoTime();
      for (int i = 0; i < cells.length; i++) {
        part.add(cells[i].value(), rowLevels[i]);
      }
      whole.merge(part);
      nanos += System.nanoTime() - start;
    }
    long start = System.nanoTime();
    whole.toJson("c");
    return nanos + System.nanoTime() - start;
  }

  private static long kllOne(double[] values) {
    long start = System.nanoTime();
    KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(ColumnProfile.KLL_K);
    for (double value : values) {
      sketch.update(value);
    }
    return System.nanoTime() - start;
  }

  private static long kllChunked(double[] values) {
    long start = System.nanoTime();
    KllDoublesSketch whole = KllDoublesSketch.newHeapInstance(ColumnProfile.KLL_K);
    for (int from = 0; from < values.length; from += CHUNK) {
      KllDoublesSketch part = KllDoublesSketch.newHeapInstance(ColumnProfile.KLL_K);
      for (int i = from; i < Math.min(values.length, from + CHUNK); i++) {
        part.update(values[i]);
      }
      whole.merge(part);
    }
    return System.nanoTime() - start;
  }
}
