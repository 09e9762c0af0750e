package io.freshet.transform;

import io.freshet.transform.Nodes.DoubleNode;
import io.freshet.transform.Nodes.IntNode;

/**
 * CEL's arithmetic as compiled nodes. Ints follow the interpreter with {@code errorOnIntWrap} (the
 * default), where every result that does not fit 64 bits is a failure, not a wrap; doubles follow
 * IEEE 754, and a NaN or an infinity on the way is left for the result check to refuse.
 */
final class Arithmetic {

  private Arithmetic() {}

  static IntNode add(IntNode a, IntNode b) {
    return row -> Math.addExact(a.eval(row), b.eval(row));
  }

  static IntNode subtract(IntNode a, IntNode b) {
    return row -> Math.subtractExact(a.eval(row), b.eval(row));
  }

  static IntNode multiply(IntNode a, IntNode b) {
    return row -> Math.multiplyExact(a.eval(row), b.eval(row));
  }

  /** {@code MIN / -1} would wrap to MIN, so it fails. */
  static IntNode divide(IntNode a, IntNode b) {
    return row -> {
      long x = a.eval(row);
      long y = b.eval(row);
      if (x == Long.MIN_VALUE && y == -1) {
        throw new ArithmeticException("most negative number wraps");
      }
      return x / nonZero(y);
    };
  }

  /** {@code MIN % -1} is 0 in CEL as in Java. */
  static IntNode modulo(IntNode a, IntNode b) {
    return row -> {
      long x = a.eval(row);
      return x % nonZero(b.eval(row));
    };
  }

  /**
   * Thrown here rather than by the division: once hot, the JIT replaces an implicit division by
   * zero's exception with a shared one that has no message.
   */
  private static long nonZero(long divisor) {
    if (divisor == 0) {
      throw new ArithmeticException("/ by zero");
    }
    return divisor;
  }

  static IntNode negate(IntNode a) {
    return row -> Math.negateExact(a.eval(row));
  }

  /**
   * {@code int(double)} truncates towards zero, and fails from 2^63 in magnitude (both signs,
   * although -2^63 itself would fit) and on NaN, by the interpreter's exponent test.
   */
  static IntNode toInt(DoubleNode a) {
    return row -> {
      double x = a.eval(row);
      if (Math.getExponent(x) >= 63) {
        throw new ArithmeticException("double is out of range for int");
      }
      return (long) x;
    };
  }

  static DoubleNode toDouble(IntNode a) {
    return row -> (double) a.eval(row);
  }

  static DoubleNode add(DoubleNode a, DoubleNode b) {
    return row -> a.eval(row) + b.eval(row);
  }

  static DoubleNode subtract(DoubleNode a, DoubleNode b) {
    return row -> a.eval(row) - b.eval(row);
  }

  static DoubleNode multiply(DoubleNode a, DoubleNode b) {
    return row -> a.eval(row) * b.eval(row);
  }

  static DoubleNode divide(DoubleNode a, DoubleNode b) {
    return row -> a.eval(row) / b.eval(row);
  }

  static DoubleNode negate(DoubleNode a) {
    return row -> -a.eval(row);
  }
}
