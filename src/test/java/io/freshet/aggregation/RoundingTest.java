package io.freshet.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quick square root against the one worked out in full, ties and exact squares included. */
class RoundingTest {

  @Test
  void rootQuotient_guessCorrected_sameBitsAsWorkedOutInFull() {
    Random random = new Random(42);
    for (int i = 0; i < 40_000; i++) {
      long count = 1 + (random.nextInt(4) == 0 ? random.nextInt(1_000_000) : random.nextInt(20));
      BigInteger n;
      int exponent = random.nextInt(400) - 200;
      switch (random.nextInt(4)) {
        case 0:
          // An exact square over count²: the root is a dyadic value, perhaps a midpoint.
          BigInteger root = new BigInteger(1 + random.nextInt(80), random).add(BigInteger.ONE);
          n = root.multiply(root).multiply(BigInteger.valueOf(count * count));
          exponent &= ~1;
          break;
        case 1:
          // A midpoint between two doubles, squared: ties must go to even.
          BigInteger mid = BigInteger.valueOf((1L << 53) | (random.nextLong() & ((1L << 53) - 1)));
          n = mid.multiply(mid).multiply(BigInteger.valueOf(count * count));
          exponent &= ~1;
          break;
        default:
          n = new BigInteger(1 + random.nextInt(300), random).add(BigInteger.ONE);
      }
      assertEquals(
          Double.doubleToRawLongBits(Rounding.exactRootQuotient(n, exponent, count)),
          Double.doubleToRawLongBits(Rounding.rootQuotient(n, exponent, count)),
          n + " * 2^" + exponent + " / " + count + "^2");
    }
  }

  @Test
  void rootQuotient_farOutOfTheNormalRange_workedOutInFull() {
    BigInteger one = BigInteger.ONE;
    assertEquals(Rounding.exactRootQuotient(one, -2140, 3), Rounding.rootQuotient(one, -2140, 3));
    assertEquals(Rounding.exactRootQuotient(one, 2040, 1), Rounding.rootQuotient(one, 2040, 1));
    assertEquals(0.0, Rounding.rootQuotient(BigInteger.ZERO, 5, 7));
  }
}
