package io.freshet.encoding;

/**
 * Which rows of a large snapshot feed its quantile sketches. Updating a KLL sketch costs about 40
 * ns a value, most of a profile's cost, and a hash-chosen share of a column's values is enough for
 * its decile edges. A row's level is the number of trailing zero bits of a hash of its index;
 * sampling one row in 2^k takes the rows of level k or more. The samples nest (a row of level 3 is
 * in the 1-in-2, 1-in-4 and 1-in-8 samples), so a column can choose its rate late, once it has seen
 * how many values it holds, and still take a value as it comes. A hash rather than every n-th row,
 * so that a pattern in the label rows' order cannot line up with the stride; the index rather than
 * anything random, so that a snapshot samples the same rows on every run.
 */
public final class SampleLevel {

  /** A column samples no fewer than about this many of its values. */
  public static final int FLOOR = 8192;

  private SampleLevel() {}

  /** Row {@code row}'s level: 0 to 32. */
  public static byte of(int row) {
    return (byte) Integer.numberOfTrailingZeros(mix(row));
  }

  /**
   * The level to sample a column at, from what it held after {@code rowsSeen} of {@code rows}: the
   * highest whose share of the column's expected values still reaches {@link #FLOOR}.
   */
  static int forColumn(long values, long rowsSeen, long rows) {
    double expected = values * (double) rows / Math.max(1, rowsSeen);
    long stride = Long.highestOneBit(Math.max(1, (long) (expected / FLOOR)));
    return Long.numberOfTrailingZeros(stride);
  }

  /** MurmurHash3's 32-bit finalizer: every input bit moves every output bit. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
