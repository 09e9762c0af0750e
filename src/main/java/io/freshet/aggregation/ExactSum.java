package io.freshet.aggregation;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The exact sum of doubles, longs and their squares, as one fixed-point integer held in base-2^32
 * digits that cover only the binary orders of magnitude that were used. Adding, removing and
 * merging are exact integer operations, so the sum is the same whatever their order; it is rounded
 * to a double once, when a value is produced ({@link Rounding}).
 *
 * <p>Digit {@code k} of the array weighs 2^(32·(base + k) − BIAS). Between normalisations a digit
 * may hold any long; each add puts less than 2^33 into a digit, so after {@link #PENDING_LIMIT}
 * adds the carries are propagated and every digit but the top one is back in [0, 2^32).
 */
final class ExactSum {

  /** Bit position 0 weighs 2^−BIAS: below the square of the smallest subnormal (2^−2148). */
  private static final int BIAS = 2176;

  private static final long DIGIT = 0xFFFF_FFFFL;
  private static final int PENDING_LIMIT = 1 << 28;

  private long[] digits = new long[0];
  private int base;
  private int pending;

  ExactSum() {}

  private ExactSum(long[] digits, int base) {
    this.digits = digits;
    this.base = base;
  }

  void add(double value) {
    addDouble(value, false, false);
  }

  void remove(double value) {
    addDouble(value, false, true);
  }

  void addSquare(double value) {
    addDouble(value, true, false);
  }

  void removeSquare(double value) {
    addDouble(value, true, true);
  }

  void add(long value) {
    addLong(value, false);
  }

  void remove(long value) {
    addLong(value, true);
  }

  void addSquare(long value) {
    addMagnitude(Math.multiplyHigh(value, value), value * value, BIAS, false);
  }

  void removeSquare(long value) {
    addMagnitude(Math.multiplyHigh(value, value), value * value, BIAS, true);
  }

  /** The magnitude of Long.MIN_VALUE is its own negation read as unsigned. */
  private void addLong(long value, boolean negate) {
    addMagnitude(0, value < 0 ? -value : value, BIAS, (value < 0) != negate);
  }

  void merge(ExactSum other) {
    if (other.digits.length == 0) {
      return;
    }
    cover(other.base, other.base + other.digits.length - 1);
    int offset = other.base - base;
    for (int k = 0; k < other.digits.length; k++) {
      digits[offset + k] += other.digits[k];
    }
    pending += other.pending + 1;
    if (pending >= PENDING_LIMIT) {
      normalize();
    }
  }

  ExactSum copy() {
    ExactSum copy = new ExactSum(digits.clone(), base);
    copy.pending = pending;
    return copy;
  }

  /** The sum as an integer {@code n}, with {@link #exponent()}: the sum is n · 2^exponent. */
  BigInteger integer() {
    normalize();
    BigInteger n = BigInteger.ZERO;
    for (int k = digits.length - 1; k >= 0; k--) {
      n = n.shiftLeft(32).add(BigInteger.valueOf(digits[k]));
    }
    return n;
  }

  int exponent() {
    return 32 * base - BIAS;
  }

  /** The sum rounded once to the nearest double (ties to even). */
  double toDouble() {
    return Rounding.toDouble(integer(), exponent());
  }

  /** The sum of longs as a long, held at the nearest bound when it is beyond one. */
  long toLong() {
    BigInteger n = integer().shiftLeft(exponent());
    if (n.bitLength() < 64) {
      return n.longValue();
    }
    return n.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
  }

  /** The canonical form: a sum has one encoding whatever the order it was built in. */
  void writeTo(ByteWriter out) {
    BigInteger n = integer();
    if (n.signum() == 0) {
      out.writeSignedVarLong(0);
      out.writeBytes(new byte[0]);
      return;
    }
    int zeros = n.getLowestSetBit();
    out.writeSignedVarLong((long) exponent() + zeros + BIAS + 1);
    out.writeBytes(n.shiftRight(zeros).toByteArray());
  }

  static ExactSum readFrom(ByteReader in) {
    long position = in.readSignedVarLong();
    byte[] bytes = in.readBytes();
    ExactSum sum = new ExactSum();
    if (position == 0) {
      return sum;
    }
    int bit = (int) (position - 1);
    BigInteger n = new BigInteger(bytes);
    int shift = Math.floorMod(bit, 32);
    n = n.shiftLeft(shift);
    int start = Math.floorDiv(bit, 32);
    int count = n.bitLength() / 32 + 1;
    long[] digits = new long[count];
    for (int k = 0; k < count - 1; k++) {
      digits[k] = n.shiftRight(32 * k).longValue() & DIGIT;
    }
    digits[count - 1] = n.shiftRight(32 * (count - 1)).longValue();
    return new ExactSum(digits, start);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExactSum && canonical().equals(((ExactSum) other).canonical());
  }

  @Override
  public int hashCode() {
    return canonical().hashCode();
  }

  /** The odd integer and its exponent that give the sum, or zero alone. */
  private java.util.List<Object> canonical() {
    BigInteger n = integer();
    if (n.signum() == 0) {
      return java.util.List.of(n);
    }
    int zeros = n.getLowestSetBit();
    return java.util.List.of(n.shiftRight(zeros), exponent() + zeros);
  }

  private void addDouble(double value, boolean square, boolean negate) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    long bits = Double.doubleToRawLongBits(value);
    int biased = (int) ((bits >>> 52) & 0x7FF);
    long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
    if (biased == 0) {
      if (mantissa == 0) {
        return;
      }
      biased = 1;
    } else {
      mantissa |= 1L << 52;
    }
    int exponent = biased - 1075;
    boolean negative = (bits < 0) != negate;
    if (square) {
      long high = Math.multiplyHigh(mantissa, mantissa);
      addMagnitude(high, mantissa * mantissa, 2 * exponent + BIAS, negate);
    } else {
      addMagnitude(0, mantissa, exponent + BIAS, negative);
    }
  }

  /** Adds (or takes away) the 128-bit magnitude {@code high:low} placed at bit {@code position}. */
  private void addMagnitude(long high, long low, int position, boolean negative) {
    int first = position >>> 5;
    int shift = position & 31;
    cover(first, first + 4);
    int at = first - base;
    long[] words = {low & DIGIT, low >>> 32, high & DIGIT, high >>> 32};
    for (int k = 0; k < 4; k++) {
      long shifted = words[k] << shift;
      long lowPart = shifted & DIGIT;
      long highPart = shifted >>> 32;
      if (negative) {
        digits[at + k] -= lowPart;
        digits[at + k + 1] -= highPart;
      } else {
        digits[at + k] += lowPart;
        digits[at + k + 1] += highPart;
      }
    }
    if (++pending >= PENDING_LIMIT) {
      normalize();
    }
  }

  /** Widens the digits to cover positions {@code from} to {@code to} (inclusive), plus a carry. */
  private void cover(int from, int to) {
    if (digits.length == 0) {
      digits = new long[to - from + 2];
      base = from;
      return;
    }
    int low = Math.min(from, base);
    int high = Math.max(to + 1, base + digits.length - 1);
    if (low == base && high == base + digits.length - 1) {
      return;
    }
    long[] wider = new long[high - low + 1];
    System.arraycopy(digits, 0, wider, base - low, digits.length);
    digits = wider;
    base = low;
  }

  private void normalize() {
    if (digits.length == 0) {
      return;
    }
    long carry = 0;
    int top = digits.length - 1;
    for (int k = 0; k < top; k++) {
      long value = digits[k] + carry;
      digits[k] = value & DIGIT;
      carry = value >> 32;
    }
    digits[top] += carry;
    while (digits[top] >= (1L << 31) || digits[top] < -(1L << 31)) {
      digits = Arrays.copyOf(digits, digits.length + 1);
      long value = digits[top];
      digits[top] = value & DIGIT;
      digits[top + 1] = value >> 32;
      top++;
    }
    pending = 0;
  }
}
