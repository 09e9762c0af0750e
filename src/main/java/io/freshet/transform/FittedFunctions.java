package io.freshet.transform;

import io.freshet.model.ValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The fitted kinds: which statistics each needs, how its parameters follow from a snapshot's {@link
 * ColumnStatistics}, and the function those parameters define. Parameters are stored as JSON and
 * read back to the same doubles, so a fitted version computes the same bits on every instance and
 * after every restart.
 */
public final class FittedFunctions {

  private FittedFunctions() {}

  /** A fit that the snapshot's values cannot support, such as a deviation of no values. */
  public static final class FitException extends Exception {
    public FitException(String message) {
      super(message, null, false, false);
    }
  }

  /** The quantiles a kind reads from its input's statistics. */
  public static SortedSet<ColumnStatistics.Fraction> quantiles(String kind, JsonObject options) {
    SortedSet<ColumnStatistics.Fraction> wanted = new TreeSet<>();
    if (kind.equals("bucketize")) {
      int buckets = options.getInteger("buckets");
      for (int i = 1; i < buckets; i++) {
        wanted.add(ColumnStatistics.Fraction.of(i, buckets));
      }
    } else if (kind.equals("impute") && "median".equals(options.getString("strategy"))) {
      wanted.add(ColumnStatistics.Fraction.of(1, 2));
    }
    return wanted;
  }

  /** The parameters of {@code kind} fitted to one input's statistics. */
  public static JsonObject parameters(
      String kind, JsonObject options, ValueType input, JsonObject stats) throws FitException {
    switch (kind) {
      case "standardize":
        requireValues(stats);
        return new JsonObject()
            .put("mean", stats.getDouble("mean"))
            .put("std", stats.getDouble("std"));
      case "min_max":
        requireValues(stats);
        return new JsonObject()
            .put("min", stats.getDouble("min"))
            .put("max", stats.getDouble("max"));
      case "impute":
        return new JsonObject().put("value", imputed(options, input, stats));
      case "bucketize":
        requireValues(stats);
        JsonArray boundaries = new JsonArray();
        quantiles(kind, options).forEach(f -> boundaries.add(quantileOf(stats, f)));
        return new JsonObject().put("boundaries", boundaries);
      case "category_index":
        if (stats.containsKey("categories_over")) {
          throw new FitException(
              "the snapshot has more than "
                  + ColumnStatistics.MAX_CATEGORIES
                  + " distinct values: an identifier, not a category");
        }
        requireValues(stats);
        JsonArray categories = new JsonArray();
        stats.getJsonArray("categories").forEach(c -> categories.add(((JsonArray) c).getString(0)));
        return new JsonObject().put("categories", categories);
      default:
        throw new IllegalArgumentException("unknown fitted kind " + kind);
    }
  }

  private static Object imputed(JsonObject options, ValueType input, JsonObject stats)
      throws FitException {
    String strategy = options.getString("strategy");
    if (strategy.equals("constant")) {
      return options.getValue("value");
    }
    requireValues(stats);
    double value =
        strategy.equals("mean")
            ? stats.getDouble("mean")
            : quantileOf(stats, ColumnStatistics.Fraction.of(1, 2));
    // An int64 feature imputed with 2.5 would change the column's type under the model.
    return input == ValueType.INT64 ? (Object) Math.round(value) : (Object) value;
  }

  private static double quantileOf(JsonObject stats, ColumnStatistics.Fraction f) {
    return stats.getJsonObject("quantiles").getDouble(f.toString());
  }

  private static void requireValues(JsonObject stats) throws FitException {
    if (stats.getLong("count") == 0) {
      throw new FitException("the snapshot has no non-null value of it to fit from");
    }
  }

  /** The function that fitted parameters define. */
  public static Transformation function(String kind, JsonObject params) {
    switch (kind) {
      case "standardize":
        return standardize(params.getDouble("mean"), params.getDouble("std"));
      case "min_max":
        return minMax(params.getDouble("min"), params.getDouble("max"));
      case "impute":
        return impute(params.getValue("value"));
      case "bucketize":
        return bucketize(params.getJsonArray("boundaries"));
      case "category_index":
        return categoryIndex(params.getJsonArray("categories"));
      default:
        throw new IllegalArgumentException("unknown fitted kind " + kind);
    }
  }

  /** A constant input (deviation 0) standardizes to 0, not to a division by zero. */
  private static Transformation standardize(double mean, double std) {
    return inputs -> std == 0 ? 0.0 : (number(inputs[0]) - mean) / std;
  }

  /** Values outside the fitted range scale beyond [0, 1]; a model sees drift, not a clip. */
  private static Transformation minMax(double min, double max) {
    return inputs -> max == min ? 0.0 : (number(inputs[0]) - min) / (max - min);
  }

  private static Transformation impute(Object value) {
    Object typed = value instanceof Integer ? Long.valueOf((Integer) value) : value;
    return new Transformation() {
      @Override
      public Object apply(Object[] inputs) {
        return inputs[0] == null ? typed : inputs[0];
      }

      @Override
      public boolean acceptsNull() {
        return true;
      }
    };
  }

  /** The bucket is the number of boundaries at or below the value: 0 to buckets − 1. */
  private static Transformation bucketize(JsonArray boundaries) {
    double[] edges = new double[boundaries.size()];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = boundaries.getDouble(i);
    }
    return inputs -> {
      double x = number(inputs[0]);
      long bucket = 0;
      while (bucket < edges.length && x >= edges[(int) bucket]) {
        bucket++;
      }
      return bucket;
    };
  }

  /** A category unseen in training gets one index past the known ones, the same for all. */
  private static Transformation categoryIndex(JsonArray categories) {
    Map<String, Long> index = new HashMap<>();
    for (int i = 0; i < categories.size(); i++) {
      index.put(categories.getString(i), (long) i);
    }
    long unseen = categories.size();
    return inputs -> index.getOrDefault((String) inputs[0], unseen);
  }

  private static double number(Object value) {
    return ((Number) value).doubleValue();
  }
}
