package io.freshet.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The encoding of exact sums is worked out on their digits; these tests hold it to its definition
 * through BigInteger (the lowest set bit's position, then the odd integer's minimal two's
 * complement bytes), byte for byte: tiles already in Redis were written in it and must decode to
 * the same sums.
 */
class ExactSumTest {

  /** Bit 0 of a sum's integer weighs 2^−2176 when its exponent is 0 (ExactSum's BIAS). */
  private static final int BIAS = 2176;

  @Test
  void writeTo_sameBytesAsTheDefinition_readFrom_sameSum() {
    Random random = new Random(23);
    for (int round = 0; round < 20_000; round++) {
      Tracked tracked = randomSum(random);
      ExactSum sum = tracked.sum();
      assertEquals(scaled(tracked.exact()), scaled(sum), "round " + round);
      byte[] written = encode(sum);
      assertArrayEquals(definition(sum), written, "round " + round);
      ExactSum read = ExactSum.readFrom(new ByteReader(written, 0, written.length));
      assertEquals(scaled(sum), scaled(read), "round " + round);
      assertArrayEquals(written, encode(read), "round " + round);
    }
  }

  @Test
  void readFrom_thenAdd_sameAsAddingToTheOriginal() {
    Random random = new Random(29);
    for (int round = 0; round < 5_000; round++) {
      ExactSum sum = randomSum(random).sum();
      byte[] written = encode(sum);
      ExactSum read = ExactSum.readFrom(new ByteReader(written, 0, written.length));
      ExactSum more = randomSum(random).sum();
      sum.merge(more);
      read.merge(more);
      double value = randomDouble(random);
      sum.add(value);
      read.add(value);
      assertArrayEquals(encode(sum), encode(read), "round " + round);
      assertEquals(
          Double.doubleToRawLongBits(sum.toDouble()), Double.doubleToRawLongBits(read.toDouble()));
    }
  }

  @Test
  void readFrom_malformed_refused() {
    ByteWriter noDigits = new ByteWriter();
    noDigits.writeSignedVarLong(40);
    noDigits.writeBytes(new byte[0]);
    ByteWriter negativePosition = new ByteWriter();
    negativePosition.writeSignedVarLong(-3);
    negativePosition.writeBytes(new byte[] {1});
    for (ByteWriter malformed : new ByteWriter[] {noDigits, negativePosition}) {
      byte[] bytes = malformed.toByteArray();
      assertThrows(
          IllegalArgumentException.class,
          () -> ExactSum.readFrom(new ByteReader(bytes, 0, bytes.length)));
    }
  }

  /** A sum and, kept beside it in BigDecimal, what it must equal. */
  private record Tracked(ExactSum sum, BigDecimal exact) {}

  /** Sums that cancel, carry, go negative, reach subnormals and both ends of the long range. */
  private static Tracked randomSum(Random random) {
    ExactSum sum = new ExactSum();
    BigDecimal exact = BigDecimal.ZERO;
    int adds = random.nextInt(12);
    for (int i = 0; i < adds; i++) {
      switch (random.nextInt(7)) {
        case 0 -> {
          double value = randomDouble(random);
          sum.add(value);
          exact = exact.add(new BigDecimal(value));
        }
        case 1 -> {
          double value = randomDouble(random);
          sum.remove(value);
          exact = exact.subtract(new BigDecimal(value));
        }
        case 2 -> {
          double value = randomDouble(random);
          sum.addSquare(value);
          exact = exact.add(new BigDecimal(value).pow(2));
        }
        case 3 -> {
          long value = randomLong(random);
          sum.add(value);
          exact = exact.add(BigDecimal.valueOf(value));
        }
        case 4 -> {
          long value = randomLong(random);
          sum.removeSquare(value);
          exact = exact.subtract(BigDecimal.valueOf(value).pow(2));
        }
        case 5 -> {
          double value = randomDouble(random);
          sum.add(value);
          sum.remove(value);
        }
        default -> {
          Tracked other = randomSum(random);
          sum.merge(other.sum());
          exact = exact.add(other.exact());
        }
      }
    }
    return new Tracked(sum, exact);
  }

  private static double randomDouble(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> Double.MIN_VALUE * (1 + random.nextInt(1000));
      case 1 -> (random.nextBoolean() ? 1 : -1) * Double.MAX_VALUE / (1 + random.nextInt(4));
      case 2 -> random.nextInt(2000) - 1000;
      case 3 -> Math.round(random.nextDouble() * 100_000) / 100.0;
      default ->
          Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL)
              * (random.nextBoolean() ? 1 : -1);
    };
  }

  private static long randomLong(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> Long.MIN_VALUE;
      case 1 -> Long.MAX_VALUE;
      case 2 -> random.nextInt(100) - 50;
      default -> random.nextLong();
    };
  }

  private static byte[] encode(ExactSum sum) {
    ByteWriter out = new ByteWriter();
    sum.writeTo(out);
    return out.toByteArray();
  }

  /** The encoding from its definition. */
  private static byte[] definition(ExactSum sum) {
    BigInteger n = sum.integer();
    ByteWriter out = new ByteWriter();
    if (n.signum() == 0) {
      out.writeSignedVarLong(0);
      out.writeBytes(new byte[0]);
    } else {
      int zeros = n.getLowestSetBit();
      out.writeSignedVarLong((long) sum.exponent() + zeros + BIAS + 1);
      out.writeBytes(n.shiftRight(zeros).toByteArray());
    }
    return out.toByteArray();
  }

  private static BigInteger scaled(BigDecimal exact) {
    return exact.multiply(BigDecimal.valueOf(2).pow(BIAS)).toBigIntegerExact();
  }

  /** The sum as an integer in units of 2^−BIAS. */
  private static BigInteger scaled(ExactSum sum) {
    return sum.integer().shiftLeft(sum.exponent() + BIAS);
  }
}
