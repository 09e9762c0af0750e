/*
 * Copyright 2018-2020 Raffaello Giulietti
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 * of this software and associated documentation files (the "Software"), to deal
 * in the Software without restriction, including without limitation the rights
 * to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 * copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in
 * all copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 * AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 * OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
 * THE SOFTWARE.
 */

package io.freshet.encoding;

import static io.freshet.encoding.ShortestDoubleTable.flog10pow2;
import static io.freshet.encoding.ShortestDoubleTable.flog10threeQuartersPow2;
import static io.freshet.encoding.ShortestDoubleTable.flog2pow10;
import static io.freshet.encoding.ShortestDoubleTable.g0;
import static io.freshet.encoding.ShortestDoubleTable.g1;
import static io.freshet.encoding.ShortestDoubleTable.pow10;
import static java.lang.Double.doubleToRawLongBits;
import static java.lang.Long.numberOfLeadingZeros;
import static java.lang.Math.multiplyHigh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The shortest decimal that reads back as the same double, in {@code Double.toString}'s layout,
 * written straight into a byte array: Raffaello Giulietti's Schubfach, adapted from Jackson's copy
 * ({@code com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal}, 2.19), which gives the same
 * text as Java 19+'s {@code Double.toString}. Jackson's answers only a String: a snapshot writes
 * millions of doubles, and that String with its buffers was a third of their cost. The digits are
 * made eight at a time in a long and stored at once, not one by one. The comments cite the paper,
 * "The Schubfach way to render doubles" [1].
 */
final class ShortestDouble {

  /** The most bytes one double takes: {@code -d.ddddddddddddddddE-eee}. */
  static final int MAX_LENGTH = 24;

  private static final int P = 53;
  private static final int W = (Double.SIZE - 1) - (P - 1);
  private static final int Q_MIN = (-1 << W - 1) - P + 3;
  private static final long C_TINY = 3;
  private static final int H = 17;
  private static final long C_MIN = 1L << P - 1;
  private static final int BQ_MASK = (1 << W) - 1;
  private static final long T_MASK = (1L << P - 1) - 1;
  private static final long MASK_63 = (1L << 63) - 1;
  private static final long ASCII_ZEROES = 0x3030_3030_3030_3030L;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte[] NAN = {'N', 'a', 'N'};
  private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};

  private ShortestDouble() {}

  /**
   * Writes {@code v} at {@code at}, which must have {@link #MAX_LENGTH} bytes of room; answers the
   * end. The digits are stored eight at a time, so bytes after the end, up to {@code at +
   * MAX_LENGTH}, may be overwritten.
   */
  static int write(double v, byte[] out, int at) {
    long bits = doubleToRawLongBits(v);
    long t = bits & T_MASK;
    int bq = (int) (bits >>> P - 1) & BQ_MASK;
    if (bq == BQ_MASK) {
      if (t != 0) {
        return copy(NAN, out, at);
      }
      if (bits < 0) {
        out[at++] = '-';
      }
      return copy(INFINITY, out, at);
    }
    if (bits < 0) {
      out[at++] = '-';
    }
    if (bq != 0) {
      // Normal: |v| = c 2^-mq with 2^(P-1) <= c < 2^P; an integer below 2^P prints as one.
      int mq = -Q_MIN + 1 - bq;
      long c = C_MIN | t;
      if (0 < mq & mq < P) {
        long f = c >> mq;
        if (f << mq == c) {
          return toChars(f, 0, out, at);
        }
      }
      return toDecimal(-mq, c, 0, out, at);
    }
    if (t != 0) {
      // Subnormal.
      return t < C_TINY ? toDecimal(Q_MIN, 10 * t, -1, out, at) : toDecimal(Q_MIN, t, 0, out, at);
    }
    out[at] = '0';
    out[at + 1] = '.';
    out[at + 2] = '0';
    return at + 3;
  }

  /** Figure 4 of [1], computed as figure 7 summarizes. */
  private static int toDecimal(int q, long c, int dk, byte[] out, int at) {
    int odd = (int) c & 0x1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN | q == Q_MIN) {
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    }
    int h = q + flog2pow10(-k) + 2;
    long g1 = g1(k);
    long g0 = g0(k);
    long vb = rop(g1, g0, cb << h);
    long vbl = rop(g1, g0, cbl << h);
    long vbr = rop(g1, g0, cbr << h);
    long s = vb >> 2;
    if (s >= 100) {
      // Section 9.4 of [1]: one digit fewer when u' or w' (but not both) lies in the interval.
      long sp10 = 10 * multiplyHigh(s, 115_292_150_460_684_698L << 4);
      long tp10 = sp10 + 10;
      boolean upin = vbl + odd <= sp10 << 2;
      boolean wpin = (tp10 << 2) + odd <= vbr;
      if (upin != wpin) {
        return toChars(upin ? sp10 : tp10, k, out, at);
      }
    }
    long u = s + 1;
    boolean uin = vbl + odd <= s << 2;
    boolean win = (u << 2) + odd <= vbr;
    if (uin != win) {
      return toChars(uin ? s : u, k + dk, out, at);
    }
    // Both lie in the interval: the closer one, the even one on a tie.
    long cmp = vb - (s + u << 1);
    return toChars(cmp < 0 || cmp == 0 && (s & 0x1) == 0 ? s : u, k + dk, out, at);
  }

  /** rop(cp g 2^-127) with g = g1 2^63 + g0: section 9.10 and figure 5 of [1]. */
  private static long rop(long g1, long g0, long cp) {
    long x1 = multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | (z & MASK_63) + MASK_63 >>> 63;
  }

  /** Formats the decimal f 10^e (section 10 of [1]). */
  private static int toChars(long f, int e, byte[] out, int at) {
    int len = flog10pow2(Long.SIZE - numberOfLeadingZeros(f));
    if (f >= pow10(len)) {
      len += 1;
    }
    // Now 10^(H-1) <= f < 10^H and the value is 0.f 10^e; split f into its leading digit h and two
    // runs of eight, m and l, each turned into eight digit bytes at once.
    f *= pow10(H - len);
    e += len;
    long hm = multiplyHigh(f, 193_428_131_138_340_668L) >>> 20;
    int l = (int) (f - 100_000_000L * hm);
    int h = (int) (hm * 1_441_151_881L >>> 57);
    int m = (int) (hm - 100_000_000 * h);
    long mDigits = digits8(m);
    long lDigits = digits8(l);
    // How many digits count, from h to the last that is not zero (a zero digit is a zero byte).
    int n =
        l != 0
            ? 17 - (numberOfLeadingZeros(lDigits) >>> 3)
            : m != 0 ? 9 - (numberOfLeadingZeros(mDigits) >>> 3) : 1;
    if (0 < e && e <= 7) {
      return plain(h, mDigits, lDigits, n, e, out, at);
    }
    if (-3 < e && e <= 0) {
      return leadingZeroes(h, mDigits, lDigits, n, e, out, at);
    }
    return scientific(h, mDigits, lDigits, n, e, out, at);
  }

  /**
   * 0 < e <= 7: the e digits before the point, then the rest, without trailing zeroes but with at
   * least one digit after the point. All 17 digits and the point are stored, 18 bytes, and the end
   * set after the last that counts.
   */
  private static int plain(int h, long m, long l, int n, int e, byte[] out, int at) {
    out[at] = (byte) ('0' + h);
    // The point goes after m's first e - 1 digits, moving the rest of m's digits one byte on.
    int point = 8 * (e - 1);
    long before = (1L << point) - 1;
    long mAscii = m + ASCII_ZEROES;
    long lAscii = l + ASCII_ZEROES;
    LONGS.set(out, at + 1, mAscii & before | (long) '.' << point | mAscii << 8 & -1L << point + 8);
    LONGS.set(out, at + 9, mAscii >>> 56 | lAscii << 8);
    out[at + 17] = (byte) (lAscii >>> 56);
    return n <= e ? at + e + 2 : at + n + 1;
  }

  /** -3 < e <= 0: 0.00ddd. */
  private static int leadingZeroes(int h, long m, long l, int n, int e, byte[] out, int at) {
    out[at++] = '0';
    out[at++] = '.';
    for (; e < 0; ++e) {
      out[at++] = '0';
    }
    out[at] = (byte) ('0' + h);
    LONGS.set(out, at + 1, m + ASCII_ZEROES);
    LONGS.set(out, at + 9, l + ASCII_ZEROES);
    return at + n;
  }

  /** Otherwise d.dddE-ee. */
  private static int scientific(int h, long m, long l, int n, int e, byte[] out, int at) {
    out[at] = (byte) ('0' + h);
    out[at + 1] = '.';
    LONGS.set(out, at + 2, m + ASCII_ZEROES);
    LONGS.set(out, at + 10, l + ASCII_ZEROES);
    // One digit always follows the point: m's first, a zero when h is the only one that counts.
    return exponent(e - 1, out, n == 1 ? at + 3 : at + n + 1);
  }

  /**
   * The eight decimal digits of 0 <= a < 10^8 as the bytes of a little-endian long, the first digit
   * in the lowest byte, each 0 to 9: the halves split by a multiply and shift, then both halves at
   * once into hundreds, then all four pairs at once into tens and units. Each step's multiplier
   * divides exactly over its whole range (10^4 up to 10^8, 100 up to 10^4, 10 up to 100).
   */
  static long digits8(int a) {
    long fours = a * 109_951_163L >>> 40;
    fours |= a - 10_000 * fours << 32;
    long hundreds = fours * 10_486 >>> 20 & 0x0000_007F_0000_007FL;
    long pairs = fours - 100 * hundreds << 16 | hundreds;
    long tens = pairs * 103 >>> 10 & 0x000F_000F_000F_000FL;
    return pairs - 10 * tens << 8 | tens;
  }

  private static int exponent(int e, byte[] out, int at) {
    out[at++] = 'E';
    if (e < 0) {
      out[at++] = '-';
      e = -e;
    }
    if (e < 10) {
      out[at++] = (byte) ('0' + e);
      return at;
    }
    int d;
    if (e >= 100) {
      // floor(e / 100) = floor(1_311 e / 2^17) for e < 1000.
      d = e * 1_311 >>> 17;
      out[at++] = (byte) ('0' + d);
      e -= 100 * d;
    }
    // floor(e / 10) = floor(103 e / 2^10) for e < 100.
    d = e * 103 >>> 10;
    out[at++] = (byte) ('0' + d);
    out[at++] = (byte) ('0' + e - 10 * d);
    return at;
  }

  private static int copy(byte[] text, byte[] out, int at) {
    System.arraycopy(text, 0, out, at, text.length);
    return at + text.length;
  }
}
