package io.freshet.transform;

import io.freshet.freshness.Status;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.store.Cell;
import io.freshet.store.Column;
import java.util.List;

/**
 * Applies a transformation to the cells of its inputs. This is the only place a transformation is
 * computed, whichever path the row came from, so training and serving cannot disagree.
 */
public final class TransformEngine {

  private static final System.Logger LOG = System.getLogger(TransformEngine.class.getName());
  private static final List<String> TIER_ORDER = List.of("hot", "warm", "cold");

  private final FreshetMetrics metrics;

  public TransformEngine(FreshetMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * The value is null when any input is MISSING or null, unless the transformation is an
   * imputation, which exists to replace them; the event time is the oldest present input's, the
   * status the worst input's and the tier the slowest input's. An imputed value whose input was
   * MISSING stays MISSING in its meta: the model gets the fill, the caller still sees no data.
   */
  public Cell apply(Column.Transformed column, Cell[] inputs) {
    Transformation function = column.version().function();
    boolean acceptsNull = function.acceptsNull();
    Status status = Status.FRESH;
    long oldestEvent = Long.MAX_VALUE;
    long oldestAge = 0;
    String tier = null;
    boolean anyNull = false;
    boolean anyPresent = false;
    Object[] values = new Object[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Cell input = inputs[i];
      status = status.worst(input.status());
      values[i] = input.value();
      anyNull |= input.value() == null;
      if (input.isMissing()) {
        if (!acceptsNull) {
          return Cell.MISSING;
        }
        continue;
      }
      anyPresent = true;
      if (input.eventMicros() < oldestEvent) {
        oldestEvent = input.eventMicros();
        oldestAge = input.ageMicros();
      }
      if (tier == null || TIER_ORDER.indexOf(input.tier()) > TIER_ORDER.indexOf(tier)) {
        tier = input.tier();
      }
    }
    Object value = anyNull && !acceptsNull ? null : evaluate(column, function, values);
    return anyPresent
        ? new Cell(value, oldestEvent, oldestAge, status, tier)
        : new Cell(value, 0, 0, Status.MISSING, null);
  }

  private Object evaluate(Column.Transformed column, Transformation function, Object[] values) {
    try {
      return function.apply(values);
    } catch (ExpressionException e) {
      // A transformation that fails on one row's data (say, an integer division by zero) yields
      // null for that row rather than failing every entity of the request; the failure is
      // counted per transformation so it is seen, not silent.
      metrics.transformError(column.name());
      LOG.log(System.Logger.Level.DEBUG, column.name() + ": " + e.getMessage());
      return null;
    }
  }
}
