package io.freshet.aggregation;

import io.freshet.model.ValueType;
import java.math.BigInteger;

/**
 * The exact count, sum and (when asked) sum of squares of a numeric field's non-null values: what
 * {@code sum}, {@code mean} and {@code stddev} are computed from. Values can be taken away again
 * exactly, which a sliding window needs.
 */
final class Moments {

  private final ValueType type;
  private final boolean squares;
  private long count;
  private final ExactSum sum;
  private final ExactSum sumOfSquares;

  Moments(ValueType type, boolean squares) {
    this(type, squares, 0, new ExactSum(), squares ? new ExactSum() : null);
  }

  private Moments(
      ValueType type, boolean squares, long count, ExactSum sum, ExactSum sumOfSquares) {
    this.type = type;
    this.squares = squares;
    this.count = count;
    this.sum = sum;
    this.sumOfSquares = sumOfSquares;
  }

  void add(Object value) {
    if (value == null) {
      return;
    }
    count++;
    if (type == ValueType.INT64) {
      long number = ((Number) value).longValue();
      sum.add(number);
      if (squares) {
        sumOfSquares.addSquare(number);
      }
    } else {
      double number = ((Number) value).doubleValue();
      sum.add(number);
      if (squares) {
        sumOfSquares.addSquare(number);
      }
    }
  }

  void remove(Object value) {
    if (value == null) {
      return;
    }
    count--;
    if (type == ValueType.INT64) {
      long number = ((Number) value).longValue();
      sum.remove(number);
      if (squares) {
        sumOfSquares.removeSquare(number);
      }
    } else {
      double number = ((Number) value).doubleValue();
      sum.remove(number);
      if (squares) {
        sumOfSquares.removeSquare(number);
      }
    }
  }

  void merge(Moments other) {
    count += other.count;
    sum.merge(other.sum);
    if (squares) {
      sumOfSquares.merge(other.sumOfSquares);
    }
  }

  Moments copy() {
    return new Moments(type, squares, count, sum.copy(), squares ? sumOfSquares.copy() : null);
  }

  /** The sum in the field's type; 0 when no value was counted. */
  Object sum() {
    return type == ValueType.INT64 ? (Object) sum.toLong() : (Object) sum.toDouble();
  }

  Double mean() {
    if (count == 0) {
      return null;
    }
    return Rounding.quotient(sum.integer(), sum.exponent(), count);
  }

  /** The population standard deviation: sqrt(n·Σx² − (Σx)²) / n, rounded once. */
  Double stddev() {
    if (count == 0) {
      return null;
    }
    BigInteger s = sum.integer();
    BigInteger q = sumOfSquares.integer();
    int squareExponent = 2 * sum.exponent();
    int common = Math.min(sumOfSquares.exponent(), squareExponent);
    BigInteger numerator =
        q.multiply(BigInteger.valueOf(count))
            .shiftLeft(sumOfSquares.exponent() - common)
            .subtract(s.multiply(s).shiftLeft(squareExponent - common));
    return Rounding.rootQuotient(numerator, common, count);
  }

  void writeTo(ByteWriter out) {
    out.writeVarLong(count);
    sum.writeTo(out);
    if (squares) {
      sumOfSquares.writeTo(out);
    }
  }

  static Moments readFrom(ByteReader in, ValueType type, boolean squares) {
    long count = in.readVarLong();
    ExactSum sum = ExactSum.readFrom(in);
    ExactSum sumOfSquares = squares ? ExactSum.readFrom(in) : null;
    return new Moments(type, squares, count, sum, sumOfSquares);
  }
}
