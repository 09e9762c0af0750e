package io.freshet.aggregation;

import java.math.BigInteger;

/**
 * Exact quantities rounded once to the nearest double, ties to even: a sum, a quotient (a mean) and
 * the square root of a quotient (a population standard deviation). Each is computed in integers
 * with enough bits, plus a sticky bit for whatever lies below them, so the double is the correctly
 * rounded value of the exact one.
 */
final class Rounding {

  /** Bits kept from a long integer before rounding it: more than a double's 53 plus guard bits. */
  private static final int KEPT = 62;

  private Rounding() {}

  /** {@code n · 2^exponent}. */
  static double toDouble(BigInteger n, int exponent) {
    return round(n.signum() < 0, n.abs(), exponent, false);
  }

  /** {@code n · 2^exponent / count}, {@code count > 0}. */
  static double quotient(BigInteger n, int exponent, long count) {
    BigInteger divisor = BigInteger.valueOf(count);
    BigInteger magnitude = n.abs();
    int shift = Math.max(0, KEPT + divisor.bitLength() - magnitude.bitLength());
    BigInteger[] division = magnitude.shiftLeft(shift).divideAndRemainder(divisor);
    return round(n.signum() < 0, division[0], exponent - shift, division[1].signum() != 0);
  }

  /**
   * {@code sqrt(n · 2^exponent) / count} for {@code n ≥ 0}, {@code count > 0}. A double's square
   * root is a guess within an ulp or two; the guess is moved until the exact value lies between the
   * midpoints to its neighbours, which takes two exact comparisons (no root or division of big
   * integers). Outside the normal range, {@link #exactRootQuotient} works it out in full.
   */
  static double rootQuotient(BigInteger n, int exponent, long count) {
    if (n.signum() == 0) {
      return 0.0;
    }
    int shift = Math.max(0, n.bitLength() - 62);
    double top = n.shiftRight(shift).doubleValue();
    int scale = exponent + shift;
    if ((scale & 1) != 0) {
      top *= 2;
      scale--;
    }
    double guess = Math.scalb(Math.sqrt(top), scale / 2) / count;
    if (!(guess >= 0x1p-1000 && guess <= 0x1p1000)) {
      return exactRootQuotient(n, exponent, count);
    }
    BigInteger squaredCount = BigInteger.valueOf(count).multiply(BigInteger.valueOf(count));
    double r = guess;
    for (int step = 0; step < 8; step++) {
      long bits = Double.doubleToRawLongBits(r);
      long mantissa = (bits & 0xF_FFFF_FFFF_FFFFL) | (1L << 52);
      int lsb = (int) (bits >>> 52) - 1075;
      boolean odd = (mantissa & 1) != 0;
      int up = compareWithSquare(n, exponent, 2 * mantissa + 1, lsb - 1, squaredCount);
      if (up > 0 || (up == 0 && odd)) {
        r = Math.nextUp(r);
        continue;
      }
      int down =
          mantissa == 1L << 52
              ? compareWithSquare(n, exponent, 4 * mantissa - 1, lsb - 2, squaredCount)
              : compareWithSquare(n, exponent, 2 * mantissa - 1, lsb - 1, squaredCount);
      if (down < 0 || (down == 0 && odd)) {
        r = Math.nextDown(r);
        continue;
      }
      return r;
    }
    return exactRootQuotient(n, exponent, count);
  }

  /** The sign of {@code n · 2^exponent − (m · 2^k)² · count²}. */
  private static int compareWithSquare(
      BigInteger n, int exponent, long m, int k, BigInteger squaredCount) {
    BigInteger mid = BigInteger.valueOf(m);
    BigInteger right = mid.multiply(mid).multiply(squaredCount);
    int difference = exponent - 2 * k;
    return difference >= 0
        ? n.shiftLeft(difference).compareTo(right)
        : n.compareTo(right.shiftLeft(-difference));
  }

  /** {@link #rootQuotient} in full: the integer root of a scaled value, then the quotient. */
  static double exactRootQuotient(BigInteger n, int exponent, long count) {
    if (n.signum() == 0) {
      return 0.0;
    }
    if ((exponent & 1) != 0) {
      n = n.shiftLeft(1);
      exponent--;
    }
    BigInteger divisor = BigInteger.valueOf(count);
    int wanted = 2 * (KEPT + divisor.bitLength()) - n.bitLength();
    int shift = Math.max(0, (wanted + 1) / 2);
    BigInteger scaled = n.shiftLeft(2 * shift);
    BigInteger root = scaled.sqrt();
    BigInteger[] division = root.divideAndRemainder(divisor);
    boolean inexact = division[1].signum() != 0 || !root.multiply(root).equals(scaled);
    return round(false, division[0], exponent / 2 - shift, inexact);
  }

  /**
   * The double nearest {@code magnitude · 2^exponent} (plus a little more when {@code sticky}),
   * negated when {@code negative}. With {@code sticky} the magnitude must have more bits than the
   * double keeps, which every caller ensures.
   */
  private static double round(
      boolean negative, BigInteger magnitude, int exponent, boolean sticky) {
    if (magnitude.signum() == 0) {
      return 0.0;
    }
    int length = magnitude.bitLength();
    long kept;
    if (length > KEPT) {
      int dropped = length - KEPT;
      kept = magnitude.shiftRight(dropped).longValueExact();
      sticky |= magnitude.getLowestSetBit() < dropped;
      exponent += dropped;
    } else {
      kept = magnitude.longValueExact();
    }
    double value = round(kept, exponent, sticky);
    return negative ? -value : value;
  }

  private static double round(long magnitude, int exponent, boolean sticky) {
    int length = 64 - Long.numberOfLeadingZeros(magnitude);
    int top = exponent + length - 1;
    int lowest = Math.max(top - 52, -1074);
    int dropped = lowest - exponent;
    long mantissa;
    if (dropped <= 0) {
      mantissa = magnitude << -dropped;
    } else {
      mantissa = dropped >= 64 ? 0 : magnitude >>> dropped;
      long half = dropped > 64 ? 0 : (magnitude >>> (dropped - 1)) & 1;
      boolean below =
          sticky
              || (dropped > 64 ? magnitude != 0 : (magnitude & ((1L << (dropped - 1)) - 1)) != 0);
      if (half == 1 && (below || (mantissa & 1) == 1)) {
        mantissa++;
      }
    }
    if (mantissa == 1L << 53) {
      mantissa >>>= 1;
      lowest++;
    }
    if (mantissa < 1L << 52) {
      return Double.longBitsToDouble(mantissa);
    }
    int biased = lowest + 1075;
    if (biased >= 2047) {
      return Double.POSITIVE_INFINITY;
    }
    return Double.longBitsToDouble(((long) biased << 52) | (mantissa - (1L << 52)));
  }
}
