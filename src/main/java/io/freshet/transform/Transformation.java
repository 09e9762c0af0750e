package io.freshet.transform;

/**
 * The function a transformation version computes over one row's input values, given in the order
 * its definition declares them. Implementations are immutable and safe to call from any thread.
 */
public interface Transformation {

  /**
   * The output value. Unless {@link #acceptsNull()}, every input is non-null: a null input makes
   * the output null without calling this.
   *
   * @throws ExpressionException when this row's values cannot be computed (a division by zero, a
   *     result that is not a finite number); the caller serves null and counts the failure
   */
  Object apply(Object[] inputs) throws ExpressionException;

  /** True for an imputation, which exists to replace a null or missing input. */
  default boolean acceptsNull() {
    return false;
  }
}
