package io.freshet.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The adapted Schubfach writes exactly what Jackson's original answers (and so what Java 19+'s
 * {@code Double.toString} does): snapshot bytes and their digests depend on every digit.
 */
class ShortestDoubleTest {

  private static String written(double value) {
    // Exactly the room the writer asks for: a store past it throws.
    byte[] out = new byte[1 + ShortestDouble.MAX_LENGTH];
    out[0] = 'x';
    int end = ShortestDouble.write(value, out, 1);
    return new String(out, 1, end - 1, StandardCharsets.ISO_8859_1);
  }

  private static void assertSameAsJackson(double value) {
    assertEquals(DoubleToDecimal.toString(value), written(value), () -> Double.toString(value));
  }

  @Test
  void edgesAreWrittenAsJacksonWritesThem() {
    double[] edges = {
      0.0,
      -0.0,
      1.0,
      -1.0,
      0.1,
      0.5,
      2.0 / 3,
      1e7,
      9_999_999.0,
      1e-3,
      9.99e-4,
      1e16,
      1e17,
      1e22,
      1e23,
      2e23,
      5.684341886080802E-14,
      2.82879384806159E17,
      1.9400994884341945E25,
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MIN_NORMAL,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      Math.nextDown(Double.MIN_NORMAL),
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      9007199254740992.0,
      9007199254740993.0,
      123456789012345680.0,
      Math.PI,
      Math.E,
      0.30000000000000004,
      100.0,
      1234567.0,
      12345678.0
    };
    for (double edge : edges) {
      assertSameAsJackson(edge);
    }
    for (int e = -1074; e <= 1023; e++) {
      assertSameAsJackson(Math.scalb(1.0, e));
    }
    for (int e = -325; e <= 309; e++) {
      double power = Double.parseDouble("1e" + e);
      assertSameAsJackson(power);
      assertSameAsJackson(Math.nextUp(power));
      assertSameAsJackson(Math.nextDown(power));
    }
  }

  @Test
  void randomBitsAndFeatureLikeValuesAreWrittenAsJacksonWritesThem() {
    SplittableRandom random = new SplittableRandom(20261204);
    for (int i = 0; i < 1_000_000; i++) {
      assertSameAsJackson(Double.longBitsToDouble(random.nextLong()));
      assertSameAsJackson(random.nextInt(1_000_000) / 100.0);
      assertSameAsJackson((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-12, 12)));
      assertSameAsJackson(random.nextLong() >> random.nextInt(64));
    }
  }

  @Test
  void everyEightDigitNumberSplitsIntoItsDigits() {
    // An odometer of the expected digits, first digit in the lowest byte, counted up alongside.
    long expected = 0;
    for (int a = 0; a < 100_000_000; a++) {
      if (ShortestDouble.digits8(a) != expected) {
        assertEquals(
            Long.toHexString(expected), Long.toHexString(ShortestDouble.digits8(a)), "" + a);
      }
      int digit = 7;
      while (digit >= 0 && (expected >>> 8 * digit & 0xFF) == 9) {
        expected &= ~(0xFFL << 8 * digit);
        digit--;
      }
      expected += 1L << 8 * Math.max(digit, 0);
    }
  }

  @Test
  void decimalsAreLongToString() {
    SplittableRandom random = new SplittableRandom(7);
    long[] edges = {
      0,
      1,
      -1,
      9,
      10,
      -10,
      99,
      100,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      -Long.MAX_VALUE,
      Integer.MAX_VALUE,
      Integer.MAX_VALUE + 1L,
      -(Integer.MAX_VALUE + 1L),
      999_999_999_999L
    };
    RowBytes out = new RowBytes(16);
    StringBuilder expected = new StringBuilder();
    for (long edge : edges) {
      out.decimal(edge);
      expected.append(edge).append(',');
      out.write(',');
    }
    for (int i = 0; i < 100_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      out.decimal(value);
      expected.append(value).append(',');
      out.write(',');
    }
    assertEquals(
        expected.toString(), new String(out.array(), 0, out.size(), StandardCharsets.ISO_8859_1));
  }
}
