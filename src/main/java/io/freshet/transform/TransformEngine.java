package io.freshet.transform;

import io.freshet.freshness.Status;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.store.Cell;
import io.freshet.store.Column;
import io.freshet.store.FeatureSelection;
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
   * A row's output cells from its raw cells (in {@link FeatureSelection#raws()} order): a stored
   * feature's cell as it is, a transformation's computed from its inputs' cells. Online reads and
   * snapshots both build their rows here.
   */
  public Cell[] row(FeatureSelection selection, Cell[] rawCells) {
    List<Column> columns = selection.columns();
    Cell[] cells = new Cell[columns.size()];
    for (int c = 0; c < cells.length; c++) {
      int[] slots = selection.slots(c);
      Column column = columns.get(c);
      cells[c] =
          column instanceof Column.Raw
              ? rawCells[slots[0]]
              : apply((Column.Transformed) column, rawCells, slots);
    }
    return cells;
  }

  /**
   * The value is null when any input is MISSING or null, unless the transformation is an
   * imputation, which exists to replace them; the event time is the oldest present input's, the
   * status the worst input's and the tier the slowest input's. An imputed value whose input was
   * MISSING stays MISSING in its meta: the model gets the fill, the caller still sees no data.
   */
  private Cell apply(Column.Transformed column, Cell[] rawCells, int[] slots) {
    Transformation function = column.version().function();
    boolean acceptsNull = function.acceptsNull();
    Status status = Status.FRESH;
    Cell oldest = null;
    String tier = null;
    boolean anyNull = false;
    Object[] values = new Object[slots.length];
    for (int i = 0; i < slots.length; i++) {
      Cell input = rawCells[slots[i]];
      status = status.worst(input.status());
      values[i] = input.value();
      anyNull |= input.value() == null;
      if (input.isMissing()) {
        if (!acceptsNull) {
          return Cell.MISSING;
        }
        continue;
      }
      if (oldest == null || input.eventMicros() < oldest.eventMicros()) {
        oldest = input;
      }
      if (tier == null || TIER_ORDER.indexOf(input.tier()) > TIER_ORDER.indexOf(tier)) {
        tier = input.tier();
      }
    }
    Object value = anyNull && !acceptsNull ? null : evaluate(column, function, values);
    return oldest != null
        ? new Cell(value, oldest.eventMicros(), oldest.ageMicros(), status, tier)
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
