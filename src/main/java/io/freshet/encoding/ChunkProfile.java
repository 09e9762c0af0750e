package io.freshet.encoding;

import io.freshet.model.ValueType;
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

  /** A boolean column: counted in {@link #trues} and {@link #falses}, not through the map. */
  final boolean flags;

  long nulls;
  double sum;
  double min = Double.POSITIVE_INFINITY;
  double max = Double.NEGATIVE_INFINITY;

  /** How many rows the chunk covers, and the snapshot. */
  final int rows;

  /** Values that were not null: every row of a chunk adds each column's value once. */
  long count() {
    return rows - nulls;
  }

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

  /**
   * A boolean column's counts: two increments rather than a map lookup a value, which in random
   * entity order is most values (a boolean's string is the same either way, so the identity
   * shortcut above misses whenever the value differs from the row before).
   */
  long trues;

  long falses;

  /** Where the counts go when a chunk holds more categories than the map; usually never made. */
  ItemsSketch<String> overflow;

  ChunkProfile(ValueType type, ChunkLevels rows, long snapshotRows, int sampleLevel) {
    this.numeric = ColumnProfile.isNumeric(type);
    this.flags = type == ValueType.BOOL;
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
   * Profiles the column's value in the chunk's next row, whose sample level is {@code rowLevel}.
   * Called by the row writer with the value it has just written, so the profile reads no cell a
   * second time: measured in a running server, reading the cells back column by column after they
   * were written cost more than the arithmetic, even 32 rows later.
   */
  public void add(Object value, byte rowLevel) {
    if (value == null) {
      nulls++;
    } else if (numeric) {
      number(value instanceof Double ? (Double) value : ((Number) value).doubleValue(), rowLevel);
    } else if (flags && value instanceof Boolean) {
      if ((Boolean) value) {
        trues++;
      } else {
        falses++;
      }
    } else {
      addCategory(value.toString());
    }
  }

  private void number(double x, byte rowLevel) {
    sum += x;
    // Strict comparisons, which a value equal to the extreme (common in a column of few values)
    // does not take: Math.min and max put a chain of several instructions between one value and
    // the next. A NaN is kept as Math.min and max keep it; of 0.0 and -0.0, the first seen.
    if (x < min) {
      min = x;
    } else if (x != x) {
      min = x;
    }
    if (x > max) {
      max = x;
    } else if (x != x) {
      max = x;
    }
    values[valueCount] = x;
    if (levels != null) {
      levels[valueCount++] = rowLevel;
    } else {
      // Kept when the sample takes it, without a branch the sampling would mispredict: the
      // difference is negative (sign bit 1) exactly when the row's level is below the sample's.
      valueCount += ((rowLevel - sampleLevel) >>> 31) ^ 1;
    }
  }

  private void addCategory(String item) {
    if (item == lastItem) {
      lastSeen[0]++;
      return;
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
}
