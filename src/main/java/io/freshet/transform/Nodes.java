package io.freshet.transform;

/**
 * A compiled sub-expression over the positional input row, one interface per CEL type: longs,
 * doubles and booleans stay primitive from the inputs to the result, so arithmetic never boxes.
 * Every input is already known to be non-null and of its declared Java type. A failure (overflow,
 * division by zero, an int conversion out of range) throws {@link ArithmeticException}, which is
 * what the CEL interpreter reports for the same rows.
 */
final class Nodes {

  private Nodes() {}

  @FunctionalInterface
  interface IntNode {
    long eval(Object[] row);
  }

  @FunctionalInterface
  interface DoubleNode {
    double eval(Object[] row);
  }

  @FunctionalInterface
  interface BoolNode {
    boolean eval(Object[] row);
  }

  @FunctionalInterface
  interface StringNode {
    String eval(Object[] row);
  }

  /** The whole expression, its result boxed as the interpreter returns it. */
  @FunctionalInterface
  interface ValueNode {
    Object eval(Object[] row);
  }
}
