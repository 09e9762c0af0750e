package io.freshet.encoding;

import io.freshet.model.ValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * One column's profile over a whole snapshot: count, nulls, range and mean exactly; quantiles
 * (numbers) in a KLL sketch fed every value or a sample ({@link SampleLevel}), and the most
 * frequent values (strings and booleans) in a frequent-items sketch, both in bounded memory
 * whatever the row count. Chunks of rows are profiled apart ({@link ChunkProfile}) and folded in
 * here in row order, so the exact parts are the same bits on every run.
 */
public final class ColumnProfile {

  /**
   * KLL's accuracy parameter: about 1.65% normalized rank error (99% confidence) in a few KB a
   * column.
   */
  public static final int KLL_K = 200;

  /**
   * Frequent items' map size: counts are exact up to 768 distinct values, and past that no count is
   * off by more than 3.5/1024 of the rows.
   */
  public static final int ITEMS_MAP_SIZE = 1024;

  public static final int EDGES = 10;
  public static final int TOP = 50;

  private final ValueType type;
  private long count;
  private long nulls;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private final KllDoublesSketch quantiles;
  private final ItemsSketch<String> frequent;

  /**
   * A number column's first values, every one with its row's sample level, until there are more
   * than {@link #HEAD}: then the column knows about how many it will hold, chooses its sample
   * level, and feeds the sketch the head's values of that level and every later one. A column that
   * never fills its head (every column of a snapshot of up to {@link #HEAD} rows) has all its
   * values in the sketch.
   */
  private double[] head;

  private byte[] headLevels;
  private int headCount;
  private long rowsSeen;

  /**
   * The sample level chosen, or -1 while the head still holds every value. Read by the threads that
   * encode chunks ahead of the merge, so that chunks begun after the choice keep only the sample.
   */
  private volatile int level = -1;

  /** So that a column that chooses its level expects at least FLOOR values at it. */
  static final int HEAD = 2 * SampleLevel.FLOOR;

  public ColumnProfile(ValueType type) {
    this.type = type;
    this.quantiles = isNumeric(type) ? KllDoublesSketch.newHeapInstance(KLL_K) : null;
    this.frequent = isNumeric(type) ? null : new ItemsSketch<>(ITEMS_MAP_SIZE);
  }

  public static boolean isNumeric(ValueType type) {
    return type == ValueType.INT64 || type == ValueType.FLOAT64;
  }

  /** An empty profile of a chunk of a snapshot's {@code snapshotRows} rows. */
  public ChunkProfile chunk(ChunkLevels rows, long snapshotRows) {
    return new ChunkProfile(type, rows, snapshotRows, level);
  }

  /** Folds in the profile of the chunk that came after the rows already folded in. */
  public void merge(ChunkProfile later) {
    count += later.count();
    nulls += later.nulls;
    sum += later.sum;
    min = Math.min(min, later.min);
    max = Math.max(max, later.max);
    if (quantiles != null) {
      sample(later);
      return;
    }
    if (later.overflow != null) {
      frequent.merge(later.overflow);
    }
    drain(later.pending, frequent);
    if (later.trues > 0) {
      frequent.update(Boolean.TRUE.toString(), later.trues);
    }
    if (later.falses > 0) {
      frequent.update(Boolean.FALSE.toString(), later.falses);
    }
  }

  private void sample(ChunkProfile later) {
    rowsSeen += later.rows;
    if (level < 0) {
      if (headCount + later.valueCount <= HEAD) {
        if (head == null || head.length < headCount + later.valueCount) {
          int size = Math.min(HEAD, Math.max(headCount + later.valueCount, 2 * headCount));
          head = head == null ? new double[size] : Arrays.copyOf(head, size);
          headLevels = headLevels == null ? new byte[size] : Arrays.copyOf(headLevels, size);
        }
        System.arraycopy(later.values, 0, head, headCount, later.valueCount);
        System.arraycopy(later.levels, 0, headLevels, headCount, later.valueCount);
        headCount += later.valueCount;
        return;
      }
      level = SampleLevel.forColumn(count, rowsSeen, later.snapshotRows);
      feed(head, headLevels, headCount);
      head = null;
      headLevels = null;
    }
    if (later.levels == null) {
      quantiles.update(later.values, 0, later.valueCount);
    } else {
      feed(later.values, later.levels, later.valueCount);
    }
  }

  private void feed(double[] values, byte[] levels, int length) {
    if (values == null) {
      return;
    }
    int taken = level;
    for (int i = 0; i < length; i++) {
      if (levels[i] >= taken) {
        quantiles.update(values[i]);
      }
    }
  }

  /** The column's quantile sketch: of its sample, or of every value when it never chose one. */
  private KllDoublesSketch quantiles() {
    if (level < 0) {
      level = 0;
      feed(head, headLevels, headCount);
      head = null;
      headLevels = null;
    }
    return quantiles;
  }

  static void drain(Map<String, long[]> counts, ItemsSketch<String> into) {
    for (Map.Entry<String, long[]> entry : counts.entrySet()) {
      into.update(entry.getKey(), entry.getValue()[0]);
    }
    counts.clear();
  }

  /** The manifest's profile of this column, {@code name} and {@code type} first. */
  public JsonObject toJson(String name) {
    JsonObject out =
        new JsonObject()
            .put("name", name)
            .put("type", type.yamlName())
            .put("count", count)
            .put("nulls", nulls);
    if (quantiles != null) {
      if (count == 0) {
        return out.putNull("min").putNull("max").putNull("mean").put("edges", new JsonArray());
      }
      double[] edges = edges();
      double[] cdf = quantiles().getCDF(edges);
      JsonArray shares = new JsonArray();
      for (int i = 0; i < edges.length; i++) {
        shares.add(cdf[i] - (i == 0 ? 0.0 : cdf[i - 1]));
      }
      JsonArray edgeList = new JsonArray();
      for (double edge : edges) {
        edgeList.add(type == ValueType.INT64 ? (Object) (long) edge : (Object) edge);
      }
      return out.put("min", number(min))
          .put("max", number(max))
          .put("mean", sum / count)
          .put("edges", edgeList)
          .put("shares", shares);
    }
    JsonArray top = new JsonArray();
    long listed = 0;
    // Most frequent first, ties by value, so equal counts list the same way on every run.
    List<ItemsSketch.Row<String>> rows =
        new ArrayList<>(List.of(frequent.getFrequentItems(ErrorType.NO_FALSE_POSITIVES)));
    rows.sort(
        Comparator.comparingLong((ItemsSketch.Row<String> r) -> r.getEstimate())
            .reversed()
            .thenComparing(ItemsSketch.Row::getItem));
    for (ItemsSketch.Row<String> row : rows.subList(0, Math.min(TOP, rows.size()))) {
      top.add(
          new JsonObject()
              .put(
                  "value",
                  type == ValueType.BOOL ? (Object) Boolean.valueOf(row.getItem()) : row.getItem())
              .put("count", row.getEstimate()));
      listed += row.getEstimate();
    }
    return out.put("top", top).put("other", Math.max(0, count - listed));
  }

  /**
   * The KLL sketch, serialized and base64-encoded, so another snapshot's values can later be put
   * into this one's bins; null for a column without quantiles.
   */
  public String sketch() {
    return quantiles == null ? null : Base64.getEncoder().encodeToString(quantiles().toByteArray());
  }

  /** The quantiles at ranks 0.1 .. 1.0, repeats dropped (a column of few values has few bins). */
  private double[] edges() {
    double[] ranks = new double[EDGES];
    for (int i = 0; i < EDGES; i++) {
      ranks[i] = (i + 1) / (double) EDGES;
    }
    double[] all = quantiles().getQuantiles(ranks);
    all[EDGES - 1] = max;
    int distinct = 0;
    for (int i = 0; i < all.length; i++) {
      if (distinct == 0 || all[i] > all[distinct - 1]) {
        all[distinct++] = all[i];
      }
    }
    return Arrays.copyOf(all, distinct);
  }

  private Object number(double x) {
    return type == ValueType.INT64 ? (Object) (long) x : (Object) x;
  }
}
