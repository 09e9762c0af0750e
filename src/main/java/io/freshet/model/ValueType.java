package io.freshet.model;

import java.util.Optional;

/** The four value types a feature, a join key or a transformation output can have. */
public enum ValueType {
  INT64,
  FLOAT64,
  BOOL,
  STRING;

  public static Optional<ValueType> parse(String text) {
    return EnumNames.parse(ValueType.class, text);
  }

  public String yamlName() {
    return EnumNames.name(this);
  }
}
