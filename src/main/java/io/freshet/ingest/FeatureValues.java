package io.freshet.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.registry.FeatureDef;
import io.freshet.registry.ValueType;
import java.math.BigDecimal;

/** Type and constraint checks of one feature value as it arrives in JSON. */
final class FeatureValues {

  private FeatureValues() {}

  /** A problem message, or null when the value fits the feature. */
  static String check(FeatureDef feature, JsonNode node) {
    switch (feature.type()) {
      case INT64:
        if (!node.isIntegralNumber()) {
          return "must be an int64 integer";
        }
        if (!node.canConvertToLong()) {
          return "is outside the int64 range";
        }
        return range(feature, BigDecimal.valueOf(node.longValue()));
      case FLOAT64:
        if (!node.isNumber()) {
          return "must be a float64 number";
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
          return "must be a finite number";
        }
        return range(feature, new BigDecimal(value));
      case BOOL:
        return node.isBoolean() ? null : "must be true or false";
      case STRING:
        if (!node.isTextual()) {
          return "must be a string";
        }
        if (!feature.allowedValues().isEmpty()
            && !feature.allowedValues().contains(node.textValue())) {
          return "must be one of " + feature.allowedValues();
        }
        return null;
      default:
        throw new IllegalStateException("unknown type " + feature.type());
    }
  }

  private static String range(FeatureDef feature, BigDecimal value) {
    if (feature.min() != null && value.compareTo(feature.min()) < 0) {
      return "is below the minimum " + feature.min().toPlainString();
    }
    if (feature.max() != null && value.compareTo(feature.max()) > 0) {
      return "is above the maximum " + feature.max().toPlainString();
    }
    return null;
  }

  static Object toJava(ValueType type, JsonNode node) {
    switch (type) {
      case INT64:
        return node.longValue();
      case FLOAT64:
        return node.doubleValue();
      case BOOL:
        return node.booleanValue();
      default:
        return node.textValue();
    }
  }
}
