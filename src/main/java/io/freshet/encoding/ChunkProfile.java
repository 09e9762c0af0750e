package io.freshet.encoding;

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

  ChunkProfile(boolean numeric, int rows, long snapshotRows, int sampleLevel) {
    this.numeric = numeric;
    this.rows = rows;
    this.snapshotRows = snapshotRows;
    this.sampleLevel = sampleLevel;
    this.values = numeric ? new double[rows] : null;
    this.levels = numeric && sampleLevel < 0 ? new byte[rows] : null;
    this.pending = numeric ? null : new LinkedHashMap<>();
  }

  /** {@code level}: the value's row's {@link SampleLevel}. */
  public void add(Object value, byte level) {
    if (value == null) {
      nulls++;
      return;
    }
    count++;
    if (numeric) {
      double x = ((Number) value).doubleValue();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
      values[valueCount] = x;
      if (levels != null) {
        levels[valueCount++] = level;
      } else {
        // Kept when the sample takes it, without a branch the sampling would mispredict: the
        // difference is negative (sign bit 1) exactly when the row's level is below the sample's.
        valueCount += ((level - sampleLevel) >>> 31) ^ 1;
      }
      return;
    }
    String item = value.toString();
    if (item == lastItem) {
      lastSeen[0]++;
      return;
    }
    long[] seen = pending.get(item);
    if (seen != null) {
      seen[0]++;
      lastItem = item;
      lastSeen = seen;
      return;
    }
    if (pending.size() == ColumnProfile.ITEMS_MAP_SIZE) {
      if (overflow == null) {
        overflow = new ItemsSketch<>(ColumnProfile.ITEMS_MAP_SIZE);
      }
      ColumnProfile.drain(pending, overflow);
    }
    lastItem = item;
    lastSeen = new long[] {1};
    pending.put(item, lastSeen);
  }
}
