package io.freshet.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.metrics.FreshetMetrics;
import io.freshet.registry.DeclaredCatalog;
import io.freshet.registry.Registry;
import io.freshet.registry.SchemaLoader;
import io.freshet.registry.SchemaSet;
import io.freshet.selection.FeatureSelection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How much an answer's array is allocated at before it is written. */
class ReadPlanTest {

  private final ReadPlan plan;

  ReadPlanTest() throws Exception {
    plan = plan();
  }

  private static ReadPlan plan() throws Exception {
    SchemaSet schemas = SchemaLoader.load(Path.of("src/test/resources/schemas"));
    FeatureSelection selection =
        FeatureSelection.ofNames(
            new Registry(schemas, Map.of()),
            DeclaredCatalog.of(schemas),
            List.of("profile:age", "profile:plan"));
    return new ReadPlan(
        selection,
        new FreshetMetrics(
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of("profile")));
  }

  @Test
  void answerBytes_followLastAnswerOfTheSameShape() {
    int first = plan.answerBytes(100, false, false);
    assertTrue(first > 100 * 2 * 20, "before any answer: an estimate from the width");
    plan.answered(100, false, false, 100 * 80);
    assertEquals(256 + 100 * (80 + 10 + 1), plan.answerBytes(100, false, false));
    assertEquals(first, plan.answerBytes(100, false, true), "another shape keeps its own");
  }

  @Test
  void answerBytes_neverReserveMoreThanTheBound_afterAnAnswerOfLongValues() {
    // One row of 50 MB of values, then 10,000 rows: a hint taken whole would reserve 550 GB.
    plan.answered(1, true, true, 50_000_000);
    assertEquals(ReadPlan.MOST_AHEAD, plan.answerBytes(10_000, true, true));
    assertEquals(ReadPlan.MOST_AHEAD, plan.answerBytes(1, true, true));
  }
}
