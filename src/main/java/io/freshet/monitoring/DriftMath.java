package io.freshet.monitoring;

/**
 * The drift statistics, over two distributions on the same bins: the population stability index and
 * the Jensen-Shannon distance.
 */
final class DriftMath {

  /** PSI's floor under a proportion, so an empty bin on one side stays finite. */
  static final double FLOOR = 0.0001;

  private static final double LN2 = Math.log(2);

  private DriftMath() {}

  /** Counts as proportions of their sum; all zeros when the sum is 0. */
  static double[] proportions(double[] counts) {
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = total == 0 ? 0 : counts[i] / total;
    }
    return out;
  }

  /** PSI = Σ (p − q) · ln(p / q), each proportion floored at {@link #FLOOR}. */
  static double psi(double[] p, double[] q) {
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double a = Math.max(p[i], FLOOR);
      double b = Math.max(q[i], FLOOR);
      sum += (a - b) * Math.log(a / b);
    }
    return sum;
  }

  /**
   * The Jensen-Shannon distance in base 2: the square root of the divergence, between 0 (the same
   * distribution) and 1 (no bin in common). Empty bins need no floor here.
   */
  static double js(double[] p, double[] q) {
    double divergence = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      divergence += half(p[i], m) + half(q[i], m);
    }
    return Math.sqrt(Math.max(0, Math.min(1, divergence)));
  }

  /** One side's term of the divergence: ½ · x · log2(x / m), 0 when x is 0. */
  private static double half(double x, double m) {
    return x == 0 ? 0 : 0.5 * x * Math.log(x / m) / LN2;
  }
}
