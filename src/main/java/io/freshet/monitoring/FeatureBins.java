package io.freshet.monitoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * One feature's bins, fixed by its baseline's profile. A number falls in the first bin whose upper
 * edge it does not exceed (the edges are the baseline's deciles), or in a last bin above the
 * baseline's maximum; a string or boolean in its value's bin if the baseline listed it among its
 * most frequent, else in a last bin of the others. Nulls are counted apart.
 */
final class FeatureBins {

  private final String name;
  private final boolean numeric;
  private final double[] edges;
  private final List<Object> categories;
  private final Map<String, Integer> categoryIndex = new HashMap<>();
  private final double[] baselineShares;
  private final double baselineNullShare;

  private FeatureBins(
      String name,
      boolean numeric,
      double[] edges,
      List<Object> categories,
      double[] baselineShares,
      double baselineNullShare) {
    this.name = name;
    this.numeric = numeric;
    this.edges = edges;
    this.categories = categories;
    for (int i = 0; i < categories.size(); i++) {
      categoryIndex.put(categories.get(i).toString(), i);
    }
    this.baselineShares = baselineShares;
    this.baselineNullShare = baselineNullShare;
  }

  /** The bins of one column of a snapshot's profile. */
  static FeatureBins of(JsonObject column) {
    long count = column.getLong("count");
    long nulls = column.getLong("nulls");
    double nullShare = count + nulls == 0 ? 0 : nulls / (double) (count + nulls);
    String name = column.getString("name");
    if (column.containsKey("edges")) {
      JsonArray edgeList = column.getJsonArray("edges");
      JsonArray shareList = column.getJsonArray("shares", new JsonArray());
      double[] edges = new double[edgeList.size()];
      double[] shares = new double[edges.length + 1];
      for (int i = 0; i < edges.length; i++) {
        edges[i] = ((Number) edgeList.getValue(i)).doubleValue();
        shares[i] = shareList.getDouble(i);
      }
      return new FeatureBins(name, true, edges, List.of(), shares, nullShare);
    }
    JsonArray top = column.getJsonArray("top");
    List<Object> categories = new ArrayList<>();
    double[] shares = new double[top.size() + 1];
    for (int i = 0; i < top.size(); i++) {
      JsonObject entry = top.getJsonObject(i);
      categories.add(entry.getValue("value"));
      shares[i] = count == 0 ? 0 : entry.getLong("count") / (double) count;
    }
    shares[top.size()] = count == 0 ? 0 : column.getLong("other", 0L) / (double) count;
    return new FeatureBins(name, false, new double[0], categories, shares, nullShare);
  }

  String name() {
    return name;
  }

  int size() {
    return baselineShares.length;
  }

  /** The bin of a non-null value. */
  int bin(Object value) {
    if (numeric) {
      if (!(value instanceof Number)) {
        return edges.length;
      }
      int at = Arrays.binarySearch(edges, ((Number) value).doubleValue());
      return at >= 0 ? at : -at - 1;
    }
    return categoryIndex.getOrDefault(value.toString(), categories.size());
  }

  /** The baseline's share of its non-null values in each bin. */
  double[] baselineShares() {
    return baselineShares;
  }

  double baselineNullShare() {
    return baselineNullShare;
  }

  boolean numeric() {
    return numeric;
  }

  /**
   * Another snapshot's counts in these bins, from its profile column and (for numbers) its quantile
   * sketch: exact for the baseline's own edges up to the sketch's rank error.
   */
  double[] countsOf(JsonObject column, String sketch) {
    long count = column.getLong("count");
    double[] counts = new double[size()];
    if (count == 0) {
      return counts;
    }
    if (numeric) {
      if (sketch == null || edges.length == 0) {
        counts[size() - 1] = count;
        return counts;
      }
      KllDoublesSketch current =
          KllDoublesSketch.heapify(Memory.wrap(Base64.getDecoder().decode(sketch)));
      double[] cdf = current.getCDF(edges);
      double below = 0;
      for (int i = 0; i < cdf.length; i++) {
        counts[i] = (cdf[i] - below) * count;
        below = cdf[i];
      }
      return counts;
    }
    long listed = 0;
    for (Object entry : column.getJsonArray("top")) {
      JsonObject top = (JsonObject) entry;
      long n = top.getLong("count");
      counts[bin(top.getValue("value"))] += n;
      listed += n;
    }
    counts[size() - 1] += Math.max(0, count - listed);
    return counts;
  }

  /** Bin {@code i} as the drift answer shows it: its upper edge, or its value. */
  JsonObject describe(int i) {
    if (numeric) {
      return new JsonObject().put("upper", i < edges.length ? (Object) edges[i] : null);
    }
    return new JsonObject().put("value", i < categories.size() ? categories.get(i) : null);
  }
}
