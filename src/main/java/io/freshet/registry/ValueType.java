package io.freshet.registry;

import java.util.Locale;
import java.util.Optional;

/** The four value types a feature, a join key or a transformation output can have. */
public enum ValueType {
  INT64,
  FLOAT64,
  BOOL,
  STRING;

  public static Optional<ValueType> parse(String text) {
    for (ValueType type : values()) {
      if (type.yamlName().equals(text)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
