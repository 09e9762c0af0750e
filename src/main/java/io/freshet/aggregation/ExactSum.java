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
    return digits.length == 0 ? BigInteger.ZERO : new BigInteger(bigEndian(digits, 0, 0));
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

  /**
   * The canonical form: a sum has one encoding whatever the order it was built in. The position of
   * its lowest set bit (counted from 2^−BIAS, plus one; zero for a zero sum), then the sum shifted
   * right to that bit as minimal big-endian two's complement bytes (what {@link
   * BigInteger#toByteArray()} gives). Worked out on the digits themselves: going through a
   * BigInteger cost a tile's merge more than the merge.
   */
  void writeTo(ByteWriter out) {
    normalize();
    int first = 0;
    while (first < digits.length && digits[first] == 0) {
      first++;
    }
    if (first == digits.length) {
      out.writeSignedVarLong(0);
      out.writeBytes(new byte[0]);
      return;
    }
    int zeros = Long.numberOfTrailingZeros(digits[first]);
    out.writeSignedVarLong(32L * (base + first) + zeros + 1);
    out.writeBytes(minimal(bigEndian(digits, first, zeros)));
  }

  static ExactSum readFrom(ByteReader in) {
    long position = in.readSignedVarLong();
    byte[] bytes = in.readBytes();
    if (position == 0) {
      return new ExactSum();
    }
    if (bytes.length == 0 || position < 0 || position > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("malformed partial aggregate");
    }
    int bit = (int) (position - 1);
    int shift = bit & 31;
    // The integer's 32-bit words, least significant first; the top one keeps the sign.
    int words = (bytes.length + 3) / 4;
    long[] value = new long[words];
    for (int k = 0; k < words; k++) {
      int end = bytes.length - 4 * k;
      int start = Math.max(0, end - 4);
      long word = k == words - 1 ? bytes[start] : bytes[start] & 0xFF;
      for (int b = start + 1; b < end; b++) {
        word = (word << 8) | (bytes[b] & 0xFF);
      }
      value[k] = k == words - 1 ? word : word & DIGIT;
    }
    long[] digits = new long[words + 1];
    for (int k = 0; k < words; k++) {
      long below = k == 0 || shift == 0 ? 0 : value[k - 1] >>> (32 - shift);
      digits[k] = ((value[k] << shift) | below) & DIGIT;
    }
    digits[words] = shift == 0 ? value[words - 1] >> 32 : value[words - 1] >> (32 - shift);
    return new ExactSum(digits, bit >> 5);
  }

  /**
   * Normalised digits from {@code first} on, shifted right by {@code zeros} (under 32) bits, as
   * big-endian two's complement bytes: every digit below the top is in [0, 2^32) and the top one
   * holds the sign, so their 32-bit words are the two's complement words of the sum.
   */
  private static byte[] bigEndian(long[] digits, int first, int zeros) {
    int top = digits.length - 1;
    byte[] bytes = new byte[4 * (top - first + 1)];
    for (int k = first; k <= top; k++) {
      long word = digits[k] >> zeros;
      if (zeros > 0 && k < top) {
        word |= digits[k + 1] << (32 - zeros);
      }
      int at = bytes.length - 4 * (k - first + 1);
      bytes[at] = (byte) (word >>> 24);
      bytes[at + 1] = (byte) (word >>> 16);
      bytes[at + 2] = (byte) (word >>> 8);
      bytes[at + 3] = (byte) word;
    }
    return bytes;
  }

  /** Two's complement bytes without the leading bytes that only repeat the sign. */
  private static byte[] minimal(byte[] bytes) {
    int from = 0;
    while (from < bytes.length - 1
        && ((bytes[from] == 0 && bytes[from + 1] >= 0)
            || (bytes[from] == -1 && bytes[from + 1] < 0))) {
      from++;
    }
    return from == 0 ? bytes : Arrays.copyOfRange(bytes, from, bytes.length);
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
