package io.freshet.transform;

import io.freshet.freshness.Status;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.store.Cell;
import io.freshet.store.Column;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
   * The value is null when any input is MISSING or null; the event time is the oldest input's, the
   * status the worst input's and the tier the slowest input's.
   */
  public Cell apply(Column.Transformed column, Cell[] inputs) {
    Status status = Status.FRESH;
    long oldestEvent = Long.MAX_VALUE;
    long oldestAge = 0;
    String tier = null;
    boolean anyNull = false;
    for (Cell input : inputs) {
      status = status.worst(input.status());
      if (input.isMissing()) {
        return Cell.MISSING;
      }
      if (input.eventMicros() < oldestEvent) {
        oldestEvent = input.eventMicros();
        oldestAge = input.ageMicros();
      }
      if (tier == null || TIER_ORDER.indexOf(input.tier()) > TIER_ORDER.indexOf(tier)) {
        tier = input.tier();
      }
      anyNull |= input.value() == null;
    }
    Object value = anyNull ? null : evaluate(column, inputs);
    return new Cell(value, oldestEvent, oldestAge, status, tier);
  }

  private Object evaluate(Column.Transformed column, Cell[] inputs) {
    Map<String, Object> bound = new HashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      bound.put(column.inputs().get(i).feature().name(), inputs[i].value());
    }
    try {
      return column.expression().evaluate(bound);
    } catch (ExpressionException e) {
      // An expression that fails on one row's data (say, an integer division by zero) yields
      // null for that row rather than failing every entity of the request; the failure is
      // counted per transformation so it is seen, not silent.
      metrics.transformError(column.name());
      LOG.log(System.Logger.Level.DEBUG, column.name() + ": " + e.getMessage());
      return null;
    }
  }
}
