package io.freshet.transform;

/**
 * What {@link TransformEngine} needs to know of a request's columns: for each output column, the
 * raw slots it reads and, for a transformation, its function. A feature selection is one; the
 * engine sees only this, so it cannot grow a second idea of what a request asked for.
 */
public interface RowPlan {

  /** How many output columns a row has. */
  int width();

  /**
   * The raw slots column {@code c} reads: its own for a stored feature, its inputs' in declared
   * order for a transformation.
   */
  int[] slots(int c);

  /** The function column {@code c} computes; null for a stored feature. */
  Transformation function(int c);

  /** Whether column {@code c}'s function takes null and missing inputs (an imputation). */
  boolean acceptsNull(int c);

  /** Column {@code c}'s output name, for counting its failures. */
  String name(int c);
}
