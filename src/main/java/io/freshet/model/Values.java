package io.freshet.model;

/** Brings a value decoded from JSON to the Java type of its feature type. */
public final class Values {

  private Values() {}

  public static Object normalize(ValueType type, Object value) {
    if (value == null) {
      return null;
    }
    switch (type) {
      case INT64:
        return ((Number) value).longValue();
      case FLOAT64:
        return ((Number) value).doubleValue();
      default:
        return value;
    }
  }
}
