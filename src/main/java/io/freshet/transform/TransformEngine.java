package io.freshet.transform;

import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.Cell;
import io.freshet.model.CellMeta;
import io.freshet.model.Status;
import java.util.List;
import java.util.Objects;

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
   * A row's output cells from its raw cells (in the plan's slot order): a stored feature's cell as
   * it is, a transformation's computed from its inputs' cells. Online reads and snapshots both
   * build their rows here.
   */
  public Cell[] row(RowPlan selection, Cell[] rawCells) {
    Cell[] cells = new Cell[selection.width()];
    for (int c = 0; c < cells.length; c++) {
      cells[c] = column(selection, c, rawCells);
    }
    return cells;
  }

  /**
   * Column {@code c}'s cell from the row's raw cells; only the slots {@link RowPlan#slots} names
   * for it are read, so a caller computing transformed columns alone fills just those.
   */
  public Cell column(RowPlan selection, int c, Cell[] rawCells) {
    int[] slots = selection.slots(c);
    Transformation function = selection.function(c);
    return function == null ? rawCells[slots[0]] : apply(selection, c, function, rawCells, slots);
  }

  /**
   * The value is null when any input is MISSING or null, unless the transformation is an
   * imputation, which exists to replace them; the event time is the oldest present input's, the
   * status the worst input's and the tier the slowest input's. An imputed value whose input was
   * MISSING stays MISSING in its meta: the model gets the fill, the caller still sees no data.
   */
  private Cell apply(
      RowPlan selection, int c, Transformation function, Cell[] rawCells, int[] slots) {
    boolean acceptsNull = selection.acceptsNull(c);
    Status status = Status.FRESH;
    Cell oldest = null;
    String tier = null;
    boolean anyNull = false;
    for (int slot : slots) {
      Cell input = rawCells[slot];
      status = status.worst(input.status());
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
      if (tier == null || slower(input.tier(), tier)) {
        tier = input.tier();
      }
    }
    Object value =
        anyNull && !acceptsNull ? null : evaluate(selection, c, function, rawCells, slots);
    if (oldest == null) {
      return new Cell(value, CellMeta.MISSING);
    }
    // Inputs of one record share their meta; so does the result, unless they differ.
    return status == oldest.status() && Objects.equals(tier, oldest.tier())
        ? new Cell(value, oldest.meta())
        : new Cell(value, oldest.eventMicros(), oldest.ageMicros(), status, tier);
  }

  // Inputs nearly always share a tier; the same string needs no ranking.
  private static boolean slower(String tier, String than) {
    return !tier.equals(than) && TIER_ORDER.indexOf(tier) > TIER_ORDER.indexOf(than);
  }

  private Object evaluate(
      RowPlan selection, int c, Transformation function, Cell[] rawCells, int[] slots) {
    Object[] values = new Object[slots.length];
    for (int i = 0; i < slots.length; i++) {
      values[i] = rawCells[slots[i]].value();
    }
    try {
      return function.apply(values);
    } catch (ExpressionException e) {
      // A transformation that fails on one row's data (say, an integer division by zero) yields
      // null for that row rather than failing every entity of the request; the failure is
      // counted per transformation so it is seen, not silent.
      String name = selection.name(c);
      metrics.transformError(name);
      LOG.log(System.Logger.Level.DEBUG, name + ": " + e.getMessage());
      return null;
    }
  }
}
