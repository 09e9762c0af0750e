package io.freshet.transform;

import io.freshet.model.ValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * What a snapshot's values of one feature tell a fitted transformation: counts, mean and population
 * deviation (Welford's update, in row order, so the same rows always give the same bits), range,
 * the quantiles its transformations ask for, and category counts. Quantiles keep every value until
 * the end (8 bytes a row), so they are kept only for features a quantile transformation reads.
 */
public final class ColumnStatistics {

  /** More distinct strings than this is an identifier, not a category. */
  public static final int MAX_CATEGORIES = 10_000;

  private final ValueType type;
  private final SortedSet<Fraction> quantiles;
  private long rows;
  private long nulls;
  private double mean;
  private double m2;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private double[] values = new double[0];
  private final Map<String, Long> categories = new HashMap<>();
  private boolean tooManyCategories;

  public ColumnStatistics(ValueType type, SortedSet<Fraction> quantiles) {
    this.type = type;
    this.quantiles = quantiles;
    if (!quantiles.isEmpty()) {
      values = new double[1024];
    }
  }

  /** A quantile as an exact fraction, so 2/4 and 1/2 are one key and no float is compared. */
  public record Fraction(int numerator, int denominator) implements Comparable<Fraction> {

    public static Fraction of(int numerator, int denominator) {
      int gcd = gcd(numerator, denominator);
      return new Fraction(numerator / gcd, denominator / gcd);
    }

    private static int gcd(int a, int b) {
      return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public int compareTo(Fraction other) {
      return Long.compare(
          (long) numerator * other.denominator, (long) other.numerator * denominator);
    }

    @Override
    public String toString() {
      return numerator + "/" + denominator;
    }
  }

  public void add(Object value) {
    rows++;
    if (value == null) {
      nulls++;
      return;
    }
    if (value instanceof String) {
      addCategory((String) value);
      return;
    }
    if (!(value instanceof Number)) {
      return;
    }
    double x = ((Number) value).doubleValue();
    long count = rows - nulls;
    double delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
    min = Math.min(min, x);
    max = Math.max(max, x);
    if (!quantiles.isEmpty()) {
      if (count > values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[(int) count - 1] = x;
    }
  }

  private void addCategory(String value) {
    if (tooManyCategories) {
      return;
    }
    if (categories.size() == MAX_CATEGORIES && !categories.containsKey(value)) {
      tooManyCategories = true;
      categories.clear();
      return;
    }
    categories.merge(value, 1L, Long::sum);
  }

  /** The summary stored with the snapshot; the fitted parameters are computed from it alone. */
  public JsonObject toJson() {
    long count = rows - nulls;
    JsonObject out =
        new JsonObject()
            .put("type", type.yamlName())
            .put("rows", rows)
            .put("nulls", nulls)
            .put("count", count);
    if ((type == ValueType.INT64 || type == ValueType.FLOAT64) && count > 0) {
      out.put("mean", mean).put("std", Math.sqrt(m2 / count)).put("min", min).put("max", max);
      if (!quantiles.isEmpty()) {
        double[] sorted = Arrays.copyOf(values, (int) count);
        Arrays.sort(sorted);
        JsonObject q = new JsonObject();
        quantiles.forEach(f -> q.put(f.toString(), quantile(sorted, f)));
        out.put("quantiles", q);
      }
    }
    if (type == ValueType.STRING) {
      if (tooManyCategories) {
        out.put("categories_over", MAX_CATEGORIES);
      } else {
        out.put("categories", ordered(categories));
      }
    }
    return out;
  }

  /**
   * Linear interpolation between the order statistics around {@code (n-1)·q} (numpy's default),
   * computed with integer positions so a fraction like 1/3 lands exactly where it should.
   */
  static double quantile(double[] sorted, Fraction q) {
    long position = (long) (sorted.length - 1) * q.numerator();
    int low = (int) (position / q.denominator());
    long remainder = position % q.denominator();
    if (remainder == 0) {
      return sorted[low];
    }
    double weight = (double) remainder / q.denominator();
    return sorted[low] + weight * (sorted[low + 1] - sorted[low]);
  }

  /** Most frequent first, ties by value, so the index of a category is the same on every fit. */
  private static JsonArray ordered(Map<String, Long> counts) {
    List<Map.Entry<String, Long>> entries =
        counts.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .toList();
    JsonArray out = new JsonArray();
    entries.forEach(e -> out.add(new JsonArray().add(e.getKey()).add(e.getValue())));
    return out;
  }
}
