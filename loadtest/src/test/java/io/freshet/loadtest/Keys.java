package io.freshet.loadtest;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/** Entity keys 1..n drawn uniformly or Zipf-skewed (key k with weight 1 / k^s: 1 is hottest). */
final class Keys {

  private Keys() {}

  /** {@code zipf} or {@code uniform}, over 1..n. */
  static LongSupplier of(String distribution, long n, double exponent) {
    return switch (distribution) {
      case "zipf" -> zipf(n, exponent);
      case "uniform" -> uniform(n);
      default ->
          throw new IllegalArgumentException("keys must be zipf or uniform: " + distribution);
    };
  }

  static LongSupplier uniform(long n) {
    return () -> ThreadLocalRandom.current().nextLong(1, n + 1);
  }

  /**
   * Inverse-CDF sampling over a precomputed table: 8 bytes per key and a binary search per draw,
   * cheap next to an HTTP request and exact for any exponent.
   */
  static LongSupplier zipf(long n, double exponent) {
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("zipf keyspace too large: " + n);
    }
    double[] cdf = new double[(int) n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1 / Math.pow(k + 1, exponent);
      cdf[k] = sum;
    }
    double total = sum;
    return () -> {
      int i = Arrays.binarySearch(cdf, ThreadLocalRandom.current().nextDouble(total));
      return (i >= 0 ? i : -i - 1) + 1L;
    };
  }
}
