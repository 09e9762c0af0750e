package io.freshet.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.model.ValueType;
import io.freshet.registry.FeatureDef;
import java.math.BigDecimal;

/** Type and constraint checks of one feature value as it arrives in JSON. */
final class FeatureValues {

  /**
   * A string value may be this long in UTF-8: far above any feature's, and far below what every
   * tier would then hold and every instance's change feed would carry per write.
   */
  static final int MAX_STRING_BYTES = 65_536;

  private FeatureValues() {}

  /**
   * Whether {@code text} takes more than {@code maxBytes} in UTF-8, without encoding a huge one.
   */
  static boolean longerThan(String text, int maxBytes) {
    return text.length() > maxBytes
        || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes;
  }

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
        if (longerThan(node.textValue(), MAX_STRING_BYTES)) {
          return "is longer than " + MAX_STRING_BYTES + " bytes";
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
