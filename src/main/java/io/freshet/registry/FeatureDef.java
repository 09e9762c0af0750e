package io.freshet.registry;

import io.freshet.model.ValueType;
import java.math.BigDecimal;
import java.util.List;

/**
 * One typed feature of a view with its constraints. {@code min}, {@code max} are null when not
 * declared; {@code allowedValues} is empty when any value of the type is allowed.
 */
public record FeatureDef(
    String name,
    ValueType type,
    boolean nullable,
    BigDecimal min,
    BigDecimal max,
    List<String> allowedValues,
    String description) {

  public FeatureDef {
    allowedValues = List.copyOf(allowedValues);
  }
}
