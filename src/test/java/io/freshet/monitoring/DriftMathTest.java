package io.freshet.monitoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** PSI and Jensen-Shannon against cases worked by hand, and bins against their edges. */
class DriftMathTest {

  private static final double EXACT = 1e-12;

  @Test
  void psi_twoBins_workedByHand() {
    // (0.5 − 0.25)·ln 2 + (0.5 − 0.75)·ln(0.5 / 0.75) = 0.173287 + 0.101366
    assertEquals(0.274653, DriftMath.psi(new double[] {0.5, 0.5}, new double[] {0.25, 0.75}), 1e-6);
  }

  @Test
  void js_twoBins_workedByHand() {
    // m = (0.375, 0.625); KL(p‖m) = 0.046554, KL(q‖m) = 0.051035 (bits); √(mean) = 0.220896
    assertEquals(0.220896, DriftMath.js(new double[] {0.5, 0.5}, new double[] {0.25, 0.75}), 1e-6);
  }

  @Test
  void psi_emptyBin_isFlooredAtOneInTenThousand() {
    // (1 − 0.5)·ln 2 + (0.0001 − 0.5)·ln(0.0001 / 0.5)
    double expected = 0.5 * Math.log(2) + (0.0001 - 0.5) * Math.log(0.0001 / 0.5);
    assertEquals(expected, DriftMath.psi(new double[] {1, 0}, new double[] {0.5, 0.5}), EXACT);
    assertEquals(4.604318, expected, 1e-6);
  }

  @Test
  void disjoint_jsIsOne_psiIsLargeButFinite() {
    double[] p = {1, 0};
    double[] q = {0, 1};
    assertEquals(1.0, DriftMath.js(p, q), EXACT);
    assertEquals(2 * 0.9999 * Math.log(10_000), DriftMath.psi(p, q), 1e-9);
  }

  @Test
  void identical_bothZero_andSymmetric() {
    double[] p = {0.1, 0.2, 0.3, 0.4};
    double[] q = {0.4, 0.3, 0.2, 0.1};
    assertEquals(0.0, DriftMath.psi(p, p), EXACT);
    assertEquals(0.0, DriftMath.js(p, p), EXACT);
    assertEquals(DriftMath.psi(p, q), DriftMath.psi(q, p), EXACT);
    assertEquals(DriftMath.js(p, q), DriftMath.js(q, p), EXACT);
    // Σ (p − q)·ln(p / q) = 2·(0.3·ln 4 + 0.1·ln 1.5)
    assertEquals(2 * (0.3 * Math.log(4) + 0.1 * Math.log(1.5)), DriftMath.psi(p, q), EXACT);
  }

  @Test
  void proportions_ofNothing_areZeros() {
    assertArrayEquals(new double[] {0, 0}, DriftMath.proportions(new double[] {0, 0}));
    assertArrayEquals(new double[] {0.25, 0.75}, DriftMath.proportions(new double[] {1, 3}), EXACT);
  }

  @Test
  void status_thresholds_areInclusive() {
    assertEquals(DriftStatus.STABLE, DriftStatus.of(0.0999, 0.1, 0.25));
    assertEquals(DriftStatus.DRIFTING, DriftStatus.of(0.1, 0.1, 0.25));
    assertEquals(DriftStatus.BROKEN, DriftStatus.of(0.25, 0.1, 0.25));
  }

  @Test
  void numericBins_uppersInclusive_aboveTheMaxInALastBin() {
    FeatureBins bins =
        FeatureBins.of(
            new JsonObject()
                .put("name", "v:x")
                .put("count", 4)
                .put("nulls", 1)
                .put("edges", new JsonArray().add(1).add(2.5).add(10))
                .put("shares", new JsonArray().add(0.25).add(0.25).add(0.5)));
    assertEquals(4, bins.size());
    assertEquals(0, bins.bin(0L));
    assertEquals(0, bins.bin(1L));
    assertEquals(1, bins.bin(1.5));
    assertEquals(2, bins.bin(10.0));
    assertEquals(3, bins.bin(10.5));
    assertArrayEquals(new double[] {0.25, 0.25, 0.5, 0}, bins.baselineShares(), EXACT);
    assertEquals(0.2, bins.baselineNullShare(), EXACT);
  }

  @Test
  void categoryBins_unlistedValuesShareTheLastBin() {
    FeatureBins bins =
        FeatureBins.of(
            new JsonObject()
                .put("name", "v:plan")
                .put("count", 10)
                .put("nulls", 0)
                .put(
                    "top",
                    new JsonArray()
                        .add(new JsonObject().put("value", "pro").put("count", 7))
                        .add(new JsonObject().put("value", "basic").put("count", 2)))
                .put("other", 1));
    assertEquals(3, bins.size());
    assertEquals(0, bins.bin("pro"));
    assertEquals(1, bins.bin("basic"));
    assertEquals(2, bins.bin("enterprise"));
    assertArrayEquals(new double[] {0.7, 0.2, 0.1}, bins.baselineShares(), EXACT);
  }
}
