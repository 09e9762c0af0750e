package io.freshet.registry;

import io.freshet.aggregation.AggregateFunction;
import io.freshet.aggregation.Aggregator;
import io.freshet.model.ValueType;
import java.util.List;

/**
 * One aggregation of an event view: {@code function} over field {@code of} (null for {@code count},
 * whose {@code inputType} is null too) across the window that ends at the query time. To services,
 * selection and transformations it is a feature of the view, typed by its result.
 */
public record AggregationDef(
    String name,
    AggregateFunction function,
    String of,
    ValueType inputType,
    long windowMs,
    String description) {

  public ValueType resultType() {
    return function.resultType(inputType);
  }

  public long windowMicros() {
    return windowMs * 1000;
  }

  public Aggregator aggregator() {
    return Aggregator.of(function, inputType);
  }

  /** Counts and sums are 0 over an empty window; every other function is null there. */
  public boolean nullable() {
    return function != AggregateFunction.COUNT
        && function != AggregateFunction.COUNT_DISTINCT
        && function != AggregateFunction.SUM;
  }

  /** The feature this aggregation is to everything that reads features. */
  public FeatureDef asFeature() {
    return new FeatureDef(name, resultType(), nullable(), null, null, List.of(), description);
  }
}
