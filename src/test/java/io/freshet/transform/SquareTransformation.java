package io.freshet.transform;

import io.freshet.model.ValueType;
import java.util.List;

/** A custom transformation for the tests, found through the SPI like a team's own would be. */
public final class SquareTransformation implements CustomTransformation {

  @Override
  public String name() {
    return "test_square";
  }

  @Override
  public String version() {
    return "1.0";
  }

  @Override
  public ValueType outputType(List<ValueType> inputTypes) {
    if (inputTypes.size() != 1
        || (inputTypes.get(0) != ValueType.INT64 && inputTypes.get(0) != ValueType.FLOAT64)) {
      throw new IllegalArgumentException("squares one number");
    }
    return inputTypes.get(0);
  }

  @Override
  public Object apply(Object[] inputs) {
    return inputs[0] instanceof Long
        ? (Object) Math.multiplyExact((Long) inputs[0], (Long) inputs[0])
        : (Object) ((Double) inputs[0] * (Double) inputs[0]);
  }
}
