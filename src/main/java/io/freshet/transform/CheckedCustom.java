package io.freshet.transform;

import io.freshet.model.ValueType;

/**
 * A custom transformation held to the contract the engine relies on: a value of the declared type,
 * a finite double, and a failure that is counted for the row rather than failing the request.
 */
final class CheckedCustom implements Transformation {

  private final CustomTransformation provider;
  private final ValueType output;

  CheckedCustom(CustomTransformation provider, ValueType output) {
    this.provider = provider;
    this.output = output;
  }

  @Override
  public Object apply(Object[] inputs) throws ExpressionException {
    Object value;
    try {
      value = provider.apply(inputs.clone());
    } catch (RuntimeException e) {
      throw new ExpressionException("'" + provider.name() + "' failed: " + e, e);
    }
    if (value == null) {
      return null;
    }
    boolean typed =
        switch (output) {
          case INT64 -> value instanceof Long;
          case FLOAT64 -> value instanceof Double && Double.isFinite((Double) value);
          case BOOL -> value instanceof Boolean;
          case STRING -> value instanceof String;
        };
    if (!typed) {
      throw new ExpressionException(
          "'" + provider.name() + "' yielded " + value + ", not a " + output.yamlName());
    }
    return value;
  }
}
