package io.freshet.encoding;

import io.freshet.model.Cell;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.frequencies.ItemsSketch;

/**
 * One column's profile over one chunk of rows, taken on the thread that encodes the chunk: the
 * exact count, nulls, sum and range, the numbers as they came with their rows' sample levels, and
 * each category's count. Nothing here is a sketch update but a column with more than {@link
 * ColumnProfile#ITEMS_MAP_SIZE} categories in one chunk; {@link ColumnProfile#merge} feeds the
 * snapshot's sketches in row order.
 */
public final class ChunkProfile {

  final boolean numeric;
  long count;
  long nulls;
  double sum;
  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;

  /** How many rows the chunk covers, and the snapshot. */
  final int rows;

  final long snapshotRows;

  /**
   * The column's sample level when it had chosen one as the chunk began: then {@code values} holds
   * only the values the sample takes, and no levels; else -1, and every value with its level.
   */
  final int sampleLevel;

  final double[] values;
  final byte[] levels;
  int valueCount;

  /**
   * Values counted exactly, in the order first seen so that the sketch they go into is the same on
   * every run; a column of a few categories costs one map increment a row.
   */
  final Map<String, long[]> pending;

  /**
   * The last category counted, by identity: consecutive label rows of one entity share its record's
   * strings, so most rows skip the map's hashing and comparing.
   */
  private String lastItem;

  private long[] lastSeen;

  /** Where the counts go when a chunk holds more categories than the map; usually never made. */
  ItemsSketch<String> overflow;

  ChunkProfile(boolean numeric, ChunkLevels rows, long snapshotRows, int sampleLevel) {
    this.numeric = numeric;
    this.rows = rows.rows();
    this.snapshotRows = snapshotRows;
    this.sampleLevel = sampleLevel;
    // One slot more than the sample takes: every value is stored at the next free slot before the
    // sample decides whether to keep it.
    this.values = numeric ? new double[rows.taken(sampleLevel) + 1] : null;
    this.levels = numeric && sampleLevel < 0 ? new byte[this.rows] : null;
    this.pending = numeric ? null : new LinkedHashMap<>();
  }

  /**
   * Profiles column {@code column} of the chunk's rows {@code from .. to}, whose levels are {@code
   * levels}. One column at a time, so that the running figures stay in registers and each loop sees
   * one kind of value, rather than a store and a reload of every field on each value.
   */
  public void add(Cell[][] cells, int column, ChunkLevels levels, int from, int to) {
    if (numeric) {
      addNumbers(cells, column, levels.levels(), from, to);
    } else {
      addCategories(cells, column, from, to);
    }
  }

  private void addNumbers(Cell[][] cells, int column, byte[] rowLevels, int from, int to) {
    long taken = 0;
    double total = sum;
    double low = min;
    double high = max;
    int kept = valueCount;
    double[] keptValues = values;
    byte[] keptLevels = levels;
    int sample = sampleLevel;
    for (int i = from; i < to; i++) {
      Object value = cells[i][column].value();
      if (value == null) {
        continue;
      }
      double x = value instanceof Double ? (Double) value : ((Number) value).doubleValue();
      taken++;
      total += x;
      // Strict comparisons, which a value equal to the extreme (common in a column of few values)
      // does not take: Math.min and max put a chain of several instructions between one value
      // and the next. A NaN is kept as Math.min and max keep it; of 0.0 and -0.0, the first seen.
      if (x < low) {
        low = x;
      } else if (x != x) {
        low = x;
      }
      if (x > high) {
        high = x;
      } else if (x != x) {
        high = x;
      }
      keptValues[kept] = x;
      if (keptLevels != null) {
        keptLevels[kept++] = rowLevels[i];
      } else {
        // Kept when the sample takes it, without a branch the sampling would mispredict: the
        // difference is negative (sign bit 1) exactly when the row's level is below the sample's.
        kept += ((rowLevels[i] - sample) >>> 31) ^ 1;
      }
    }
    count += taken;
    nulls += to - from - taken;
    sum = total;
    min = low;
    max = high;
    valueCount = kept;
  }

  private void addCategories(Cell[][] cells, int column, int from, int to) {
    long taken = 0;
    for (int i = from; i < to; i++) {
      Object value = cells[i][column].value();
      if (value == null) {
        continue;
      }
      taken++;
      String item = value.toString();
      if (item == lastItem) {
        lastSeen[0]++;
        continue;
      }
      long[] seen = pending.get(item);
      if (seen == null) {
        if (pending.size() == ColumnProfile.ITEMS_MAP_SIZE) {
          if (overflow == null) {
            overflow = new ItemsSketch<>(ColumnProfile.ITEMS_MAP_SIZE);
          }
          ColumnProfile.drain(pending, overflow);
        }
        seen = new long[] {1};
        pending.put(item, seen);
      } else {
        seen[0]++;
      }
      lastItem = item;
      lastSeen = seen;
    }
    count += taken;
    nulls += to - from - taken;
  }
}
