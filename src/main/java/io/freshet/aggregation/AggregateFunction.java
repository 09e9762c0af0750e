package io.freshet.aggregation;

import io.freshet.model.EnumNames;
import io.freshet.model.ValueType;
import java.util.Optional;

/** The functions an event view's aggregation can compute over its window. */
public enum AggregateFunction {
  COUNT,
  COUNT_DISTINCT,
  SUM,
  MEAN,
  STDDEV,
  MIN,
  MAX,
  LAST;

  public static Optional<AggregateFunction> parse(String text) {
    return EnumNames.parse(AggregateFunction.class, text);
  }

  public String yamlName() {
    return EnumNames.name(this);
  }

  /** Every function but {@code count} reads one field ({@code of}). */
  public boolean readsAField() {
    return this != COUNT;
  }

  /** Sums, means and deviations need numbers; the others take a field of any type. */
  public boolean needsANumber() {
    return this == SUM || this == MEAN || this == STDDEV;
  }

  /** The type of the value produced, given the type of the field read (null for count). */
  public ValueType resultType(ValueType input) {
    switch (this) {
      case COUNT:
      case COUNT_DISTINCT:
        return ValueType.INT64;
      case MEAN:
      case STDDEV:
        return ValueType.FLOAT64;
      default:
        return input;
    }
  }
}
