package io.freshet.registry;

import io.freshet.model.ValueType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads one item of a view's {@code features}. */
final class FeatureReader {

  private static final List<String> KEYS =
      List.of("name", "type", "nullable", "min", "max", "values", "description");
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private FeatureReader() {}

  static Optional<FeatureDef> read(YamlMap feature) {
    feature.allowOnly(KEYS);
    Optional<String> name = feature.name("name");
    ValueType type = feature.text("type", true).flatMap(text -> type(feature, text)).orElse(null);
    boolean nullable = feature.bool("nullable").orElse(false);
    BigDecimal min = bound(feature, "min", type);
    BigDecimal max = bound(feature, "max", type);
    if (min != null && max != null && min.compareTo(max) > 0) {
      feature.problem("min", "min " + min.toPlainString() + " is above max " + max.toPlainString());
    }
    List<String> values = values(feature, type);
    String description = feature.text("description", false).orElse(null);
    return name.map(n -> new FeatureDef(n, type, nullable, min, max, values, description));
  }

  private static Optional<ValueType> type(YamlMap feature, String text) {
    return feature.enumValue(
        "type", "feature type", text, ValueType.class, java.util.EnumSet.allOf(ValueType.class));
  }

  /** A {@code min} or {@code max}; null when absent or refused. */
  private static BigDecimal bound(YamlMap feature, String key, ValueType type) {
    Optional<BigDecimal> bound = feature.number(key);
    if (bound.isEmpty() || type == null) {
      return bound.orElse(null);
    }
    if (type != ValueType.INT64 && type != ValueType.FLOAT64) {
      feature.problem(
          key, key + " applies only to int64 and float64 features, not " + type.yamlName());
      return null;
    }
    BigDecimal value = bound.get();
    if (type == ValueType.INT64 && !fitsLong(value)) {
      feature.problem(
          key,
          key + " of an int64 feature must be a whole number in the int64 range, not " + value);
      return null;
    }
    return value;
  }

  private static boolean fitsLong(BigDecimal value) {
    return value.stripTrailingZeros().scale() <= 0
        && value.compareTo(LONG_MIN) >= 0
        && value.compareTo(LONG_MAX) <= 0;
  }

  private static List<String> values(YamlMap feature, ValueType type) {
    if (!feature.has("values")) {
      return List.of();
    }
    List<ScalarNode> items = feature.scalars("values", true);
    if (type != null && type != ValueType.STRING) {
      feature.problem("values", "values applies only to string features, not " + type.yamlName());
      return List.of();
    }
    Set<String> values = new LinkedHashSet<>();
    for (ScalarNode item : items) {
      if (!values.add(item.getValue())) {
        feature.problem(item, "value '" + item.getValue() + "' is listed twice");
      }
    }
    return new ArrayList<>(values);
  }
}
