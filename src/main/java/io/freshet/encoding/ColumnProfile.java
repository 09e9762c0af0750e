package io.freshet.encoding;

import io.freshet.model.ValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * One column's profile as a snapshot streams: count, nulls, range and mean exactly; quantiles
 * (numbers) in a KLL sketch and the most frequent values (strings and booleans) in a frequent-items
 * sketch, both in bounded memory whatever the row count. Each chunk of rows gets its own profile,
 * and chunks are merged in row order, so the exact parts are the same bits on every run.
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
   * Values counted exactly since they last went into {@link #frequent}, in the order first seen. A
   * sketch update a row was the largest cost of a snapshot's profile; a column of a few categories
   * now costs one map increment a row and one sketch update per value a chunk. The order makes the
   * sketch's state the same on every run.
   */
  private final Map<String, long[]> pending;

  public ColumnProfile(ValueType type) {
    this.type = type;
    boolean numeric = isNumeric(type);
    this.quantiles = numeric ? KllDoublesSketch.newHeapInstance(KLL_K) : null;
    this.frequent = numeric ? null : new ItemsSketch<>(ITEMS_MAP_SIZE);
    this.pending = numeric ? null : new LinkedHashMap<>();
  }

  public static boolean isNumeric(ValueType type) {
    return type == ValueType.INT64 || type == ValueType.FLOAT64;
  }

  public void add(Object value) {
    if (value == null) {
      nulls++;
      return;
    }
    count++;
    if (quantiles != null) {
      double x = ((Number) value).doubleValue();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
      quantiles.update(x);
    } else {
      String item = value.toString();
      long[] seen = pending.get(item);
      if (seen != null) {
        seen[0]++;
      } else {
        if (pending.size() == ITEMS_MAP_SIZE) {
          flushPending();
        }
        pending.put(item, new long[] {1});
      }
    }
  }

  private void flushPending() {
    for (Map.Entry<String, long[]> entry : pending.entrySet()) {
      frequent.update(entry.getKey(), entry.getValue()[0]);
    }
    pending.clear();
  }

  /** Folds in the profile of the rows that came after this one's. */
  public void merge(ColumnProfile later) {
    count += later.count;
    nulls += later.nulls;
    sum += later.sum;
    min = Math.min(min, later.min);
    max = Math.max(max, later.max);
    if (quantiles != null) {
      if (!later.quantiles.isEmpty()) {
        quantiles.merge(later.quantiles);
      }
    } else {
      flushPending();
      later.flushPending();
      frequent.merge(later.frequent);
    }
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
      double[] cdf = quantiles.getCDF(edges);
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
    flushPending();
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
    return quantiles == null ? null : Base64.getEncoder().encodeToString(quantiles.toByteArray());
  }

  /** The quantiles at ranks 0.1 .. 1.0, repeats dropped (a column of few values has few bins). */
  private double[] edges() {
    double[] ranks = new double[EDGES];
    for (int i = 0; i < EDGES; i++) {
      ranks[i] = (i + 1) / (double) EDGES;
    }
    double[] all = quantiles.getQuantiles(ranks);
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
