import com.fasterxml.jackson.core.io.NumberOutput;
import io.freshet.encoding.RowBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Freshet's shortest-double writer ({@code ShortestDouble}, through {@link RowBytes}) against
 * jackson-core's own Schubfach ({@code NumberOutput.toString(double, true)}, the text Jackson's
 * generator writes with its fast double writer), writing the same doubles into a byte array, in one
 * JVM thread: first checked byte for byte over every sample (a snapshot must re-run to the same
 * bytes, so only an identical writer could replace ours), then timed in alternating rounds so both
 * see the same machine. Two samples: random bit patterns (every magnitude) and feature-like values
 * (ratios, logarithms, z-scores, money).
 *
 * <p>Usage: {@code java -cp freshet.jar:DIR DoubleWriterBench [doubles] [rounds]}; run by
 * double-writer.sh.
 */
public final class DoubleWriterBench {

  private static long sink;

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 11;
    SplittableRandom random = new SplittableRandom(42);
    double[] bits = new double[count];
    double[] features = new double[count];
    for (int i = 0; i < count; i++) {
      double d;
      do {
        d = Double.longBitsToDouble(random.nextLong());
      } while (!Double.isFinite(d));
      bits[i] = d;
      switch (i % 4) {
        case 0 -> features[i] = random.nextDouble() * 100 / (1 + random.nextInt(1000));
        case 1 -> features[i] = Math.log1p(random.nextDouble() * 1e6);
        case 2 -> features[i] = random.nextGaussian();
        default -> features[i] = Math.round(random.nextDouble() * 100_000) / 100.0;
      }
    }
    for (double[] sample : new double[][] {bits, features}) {
      byte[] ours = ours(sample);
      byte[] jackson = jackson(sample);
      if (!Arrays.equals(ours, jackson)) {
        throw new AssertionError("the two writers differ");
      }
    }
    System.out.printf("identical bytes for %d random and %d feature-like doubles%n", count, count);
    report("random bits", bits, rounds);
    report("feature-like", features, rounds);
  }

  private static void report(String name, double[] sample, int rounds) {
    long[] ours = new long[rounds];
    long[] jackson = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      sink += ours(sample).length;
      long t1 = System.nanoTime();
      sink += jackson(sample).length;
      long t2 = System.nanoTime();
      ours[r] = t1 - t0;
      jackson[r] = t2 - t1;
    }
    // The first rounds compile; the median of the later half is the figure.
    double oursNs = median(Arrays.copyOfRange(ours, rounds / 2, rounds)) / (double) sample.length;
    double jacksonNs =
        median(Arrays.copyOfRange(jackson, rounds / 2, rounds)) / (double) sample.length;
    System.out.printf(
        "DOUBLE_RESULT sample=%s ours_ns=%.1f jackson_ns=%.1f jackson_over_ours=%.2f sink=%d%n",
        name.replace(' ', '_'), oursNs, jacksonNs, jacksonNs / oursNs, sink % 10);
  }

  private static byte[] ours(double[] sample) {
    RowBytes out = new RowBytes(sample.length * 25);
    for (double d : sample) {
      out.shortestDouble(d);
      out.write(',');
    }
    return out.toArray();
  }

  /** The library's text, then its bytes: what a writer built on NumberOutput does per value. */
  private static byte[] jackson(double[] sample) {
    RowBytes out = new RowBytes(sample.length * 25);
    for (double d : sample) {
      byte[] text = NumberOutput.toString(d, true).getBytes(StandardCharsets.ISO_8859_1);
      out.write(text);
      out.write(',');
    }
    return out.toArray();
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
