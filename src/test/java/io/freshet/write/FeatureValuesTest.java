package io.freshet.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.freshet.model.ValueType;
import io.freshet.registry.FeatureDef;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounds compared as numbers must decide exactly as the decimal comparison of the value did. */
class FeatureValuesTest {

  private static FeatureValues bounded(ValueType type, String min, String max) {
    return new FeatureValues(
        new FeatureDef(
            "x",
            type,
            false,
            min == null ? null : new BigDecimal(min),
            max == null ? null : new BigDecimal(max),
            List.of(),
            null));
  }

  @Test
  void float64_atABoundNoDoubleHoldsExactly_decidedByTheExactValue() {
    FeatureValues atLeast = bounded(ValueType.FLOAT64, "0.1", null);
    // The double nearest 0.1 is 0.1000000000000000055...: above 0.1, so not below it.
    assertNull(atLeast.checkDouble(0.1));
    assertEquals("is below the minimum 0.1", atLeast.checkDouble(Math.nextDown(0.1)));
    FeatureValues atMost = bounded(ValueType.FLOAT64, null, "0.1");
    assertEquals("is above the maximum 0.1", atMost.checkDouble(0.1));
    assertNull(atMost.checkDouble(Math.nextDown(0.1)));
  }

  @Test
  void float64_exactBoundsAndSignedZero() {
    FeatureValues range = bounded(ValueType.FLOAT64, "-10", "10");
    assertNull(range.checkDouble(-10.0));
    assertNull(range.checkDouble(10.0));
    assertNull(range.checkDouble(-0.0));
    assertEquals("is below the minimum -10", range.checkDouble(Math.nextDown(-10.0)));
    assertEquals("is above the maximum 10", range.checkDouble(Math.nextUp(10.0)));
    assertEquals("must be a finite number", range.checkDouble(Double.POSITIVE_INFINITY));
  }

  @Test
  void int64_fractionalBoundsRoundInward_andBoundsBeyondInt64StillCompare() {
    FeatureValues half = bounded(ValueType.INT64, "0.5", "2.5");
    assertEquals("is below the minimum 0.5", half.checkLong(0));
    assertNull(half.checkLong(1));
    assertNull(half.checkLong(2));
    assertEquals("is above the maximum 2.5", half.checkLong(3));
    FeatureValues huge = bounded(ValueType.INT64, "-1e30", "1e30");
    assertNull(huge.checkLong(Long.MAX_VALUE));
    assertNull(huge.checkLong(Long.MIN_VALUE));
    FeatureValues unreachable = bounded(ValueType.INT64, "1e30", null);
    assertEquals(
        "is below the minimum 1000000000000000000000000000000",
        unreachable.checkLong(Long.MAX_VALUE));
  }

  @Test
  void longerThan_countsUtf8Bytes() {
    assertEquals(false, FeatureValues.longerThan("é".repeat(10), 20));
    assertEquals(true, FeatureValues.longerThan("é".repeat(11), 20));
    assertEquals(true, FeatureValues.longerThan("a".repeat(21), 20));
  }
}
