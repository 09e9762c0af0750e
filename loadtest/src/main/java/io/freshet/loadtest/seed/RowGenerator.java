package io.freshet.loadtest.seed;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rows of one feature view, generated from its registry definition alone (types, ranges, allowed
 * values, nullability), so the seeder follows whatever the schemas declare. Values depend only on
 * the view and the entity, never on the run: every seed writes the same dataset.
 */
final class RowGenerator {

  /** Share of nullable values written as null. */
  private static final double NULL_SHARE = 0.05;

  /** Span of a number with no declared maximum, above its minimum (or zero). */
  private static final double OPEN_SPAN = 1000;

  private final String view;
  private final String joinKey;
  private final boolean stringKeys;
  private final List<Feature> features = new ArrayList<>();

  RowGenerator(JsonObject viewDef, JsonObject entityDef) {
    this.view = viewDef.getString("name");
    this.joinKey = entityDef.getString("join_key");
    this.stringKeys = "string".equals(entityDef.getString("type"));
    for (Object f : viewDef.getJsonArray("features")) {
      features.add(new Feature((JsonObject) f));
    }
  }

  String view() {
    return view;
  }

  /** The join key of the {@code n}th entity (from 1): the number itself, or {@code card-n}. */
  String key(String entity, long n) {
    return stringKeys ? '"' + entity + '-' + n + '"' : Long.toString(n);
  }

  /** Appends one row object for entity {@code key} (already JSON-encoded). */
  void appendRow(StringBuilder out, String key, String eventTimestamp) {
    SplittableRandom random =
        new SplittableRandom(view.hashCode() * 0x9E3779B97F4A7C15L ^ key.hashCode());
    out.append("{\"").append(joinKey).append("\":").append(key);
    out.append(",\"event_timestamp\":\"").append(eventTimestamp).append('"');
    for (Feature feature : features) {
      out.append(",\"").append(feature.name).append("\":");
      feature.appendValue(out, random);
    }
    out.append('}');
  }

  private static final class Feature {
    final String name;
    final String type;
    final boolean nullable;
    final double min;
    final double max;
    final List<String> values = new ArrayList<>();

    Feature(JsonObject def) {
      name = def.getString("name");
      type = def.getString("type");
      nullable = def.getBoolean("nullable", false);
      Number low = def.getNumber("min");
      Number high = def.getNumber("max");
      min = low != null ? low.doubleValue() : (high != null ? high.doubleValue() - OPEN_SPAN : 0);
      max = high != null ? high.doubleValue() : min + OPEN_SPAN;
      JsonArray allowed = def.getJsonArray("values");
      if (allowed != null) {
        allowed.forEach(v -> values.add((String) v));
      }
    }

    void appendValue(StringBuilder out, SplittableRandom random) {
      if (nullable && random.nextDouble() < NULL_SHARE) {
        out.append("null");
        return;
      }
      switch (type) {
        case "int64" -> out.append(random.nextLong((long) min, (long) max + 1));
        case "float64" -> out.append(Math.round(random.nextDouble(min, max) * 100) / 100.0);
        case "bool" -> out.append(random.nextBoolean());
        case "string" -> out.append('"').append(string(random)).append('"');
        default -> throw new IllegalStateException("feature " + name + " has type " + type);
      }
    }

    private String string(SplittableRandom random) {
      return values.isEmpty()
          ? "v" + random.nextInt(100)
          : values.get(random.nextInt(values.size()));
    }
  }
}
