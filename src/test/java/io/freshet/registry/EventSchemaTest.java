package io.freshet.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.aggregation.AggregateFunction;
import io.freshet.model.ValueType;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event views: their fields and aggregations load, and each mistake is named with its line. */
class EventSchemaTest {

  /**
   * Line numbers below count from here: the view starts on line 6, its first aggregation is on 16.
   */
  private static final String EVENTS =
      """
      entities:
        - name: card
          join_key: card_id
          type: string
      feature_views:
        - name: card_transactions
          entity: card
          kind: events
          ttl: 30d
          fields:
            - {name: amount, type: float64, min: 0}
            - {name: merchant_category, type: string, nullable: true}
            - {name: quantity, type: int64, nullable: true}
            - {name: approved, type: bool}
          aggregations:
            - {name: txn_count_1h, function: count, window: 1h}
            - {name: amount_sum_1d, function: sum, of: amount, window: 1d}
            - {name: amount_mean_7d, function: mean, of: amount, window: 7d}
            - {name: amount_max_30d, function: max, of: amount, window: 30d}
            - {name: amount_stddev_7d, function: stddev, of: amount, window: 7d}
            - {name: last_category, function: last, of: merchant_category, window: 30d}
            - {name: categories_7d, function: count_distinct, of: merchant_category, window: 7d}
            - {name: quantity_sum_1h, function: sum, of: quantity, window: 1s}
      """;

  @TempDir Path dir;

  @Test
  void load_eventView_aggregationsAreItsFeatures_typedBySchemasMd() throws Exception {
    write(EVENTS);
    FeatureView view = SchemaLoader.load(dir).views().get(0);
    assertTrue(view.isEvents());
    assertEquals(4, view.fields().size());
    assertEquals(8, view.aggregations().size());
    AggregationDef mean = view.aggregation("amount_mean_7d").orElseThrow();
    assertEquals(AggregateFunction.MEAN, mean.function());
    assertEquals("amount", mean.of());
    assertEquals(7L * 86_400_000L, mean.windowMs());
    assertEquals(ValueType.INT64, view.feature("txn_count_1h").orElseThrow().type());
    assertFalse(view.feature("txn_count_1h").orElseThrow().nullable());
    assertEquals(ValueType.FLOAT64, view.feature("amount_sum_1d").orElseThrow().type());
    assertFalse(view.feature("amount_sum_1d").orElseThrow().nullable());
    assertEquals(ValueType.FLOAT64, view.feature("amount_mean_7d").orElseThrow().type());
    assertTrue(view.feature("amount_mean_7d").orElseThrow().nullable());
    assertEquals(ValueType.FLOAT64, view.feature("amount_stddev_7d").orElseThrow().type());
    assertEquals(ValueType.FLOAT64, view.feature("amount_max_30d").orElseThrow().type());
    assertEquals(ValueType.STRING, view.feature("last_category").orElseThrow().type());
    assertEquals(ValueType.INT64, view.feature("categories_7d").orElseThrow().type());
    assertEquals(ValueType.INT64, view.feature("quantity_sum_1h").orElseThrow().type());
    assertEquals(
        List.of("amount", "merchant_category", "quantity", "approved"),
        names(view.ingestedColumns()));
    assertTrue(view.feature("amount").isEmpty(), "a field is not a feature");
  }

  @Test
  void load_serviceAndTransformation_takeAggregations() throws Exception {
    write(
        EVENTS
            + """
            transformations:
              - name: mean_amount_1d
                inputs: [card_transactions:txn_count_1h, card_transactions:amount_sum_1d]
                expression: "txn_count_1h > 0 ? amount_sum_1d / double(txn_count_1h) : 0.0"
            feature_services:
              - name: fraud
                features: [card_transactions:txn_count_1h, card_transactions:last_category, mean_amount_1d]
            """);
    SchemaSet set = SchemaLoader.load(dir);
    assertEquals(ValueType.FLOAT64, set.transformations().get(0).outputType());
    assertEquals(3, set.services().get(0).items().size());
  }

  @Test
  void registryJson_showsKindFieldsAndAggregations_recordsViewsUnchanged() throws Exception {
    write(EVENTS);
    JsonObject json = RegistryJson.view(SchemaLoader.load(dir).views().get(0));
    assertEquals("events", json.getString("kind"));
    assertEquals(4, json.getJsonArray("fields").size());
    JsonObject count = json.getJsonArray("aggregations").getJsonObject(0);
    assertEquals("count", count.getString("function"));
    assertEquals(3_600_000L, count.getLong("window_ms"));
    assertEquals("int64", count.getString("type"));
    assertTrue(count.containsKey("of") && count.getString("of") == null);
    assertEquals(8, json.getJsonArray("features").size());
    FeatureView records =
        new FeatureView(
            "p",
            new EntityDef("c", "c_id", ValueType.INT64, null),
            null,
            1000,
            0,
            FreshnessSla.DEFAULT,
            List.of(new FeatureDef("a", ValueType.INT64, false, null, null, List.of(), null)));
    assertFalse(RegistryJson.view(records).containsKey("kind"));
  }

  @Test
  void load_unknownFunction_refusedWithLine() throws IOException {
    write(replace("function: count, window: 1h", "function: median, window: 1h"));
    assertOnlyProblem(16, "unknown aggregation function 'median'");
  }

  @Test
  void load_unknownField_refusedWithLine() throws IOException {
    write(replace("of: amount, window: 1d", "of: amount_usd, window: 1d"));
    assertOnlyProblem(17, "unknown field 'amount_usd'");
  }

  @Test
  void load_countWithOf_refusedWithLine() throws IOException {
    write(replace("function: count, window: 1h", "function: count, of: amount, window: 1h"));
    assertOnlyProblem(16, "count counts events and reads no field");
  }

  @Test
  void load_sumWithoutOf_refusedWithLine() throws IOException {
    write(replace("function: sum, of: amount, window: 1d", "function: sum, window: 1d"));
    assertOnlyProblem(17, "sum needs 'of'");
  }

  @Test
  void load_sumOverString_refusedWithLine() throws IOException {
    write(replace("function: sum, of: amount", "function: sum, of: merchant_category"));
    assertOnlyProblem(17, "sum needs an int64 or float64 field; 'merchant_category' is string");
  }

  @Test
  void load_meanOverBool_refusedWithLine() throws IOException {
    write(replace("function: mean, of: amount", "function: mean, of: approved"));
    assertOnlyProblem(18, "mean needs an int64 or float64 field; 'approved' is bool");
  }

  @Test
  void load_stddevOverString_refusedWithLine() throws IOException {
    write(replace("function: stddev, of: amount", "function: stddev, of: merchant_category"));
    assertOnlyProblem(20, "stddev needs an int64 or float64 field");
  }

  @Test
  void load_windowLongerThanTtl_refusedWithLine() throws IOException {
    write(replace("of: amount, window: 30d", "of: amount, window: 31d"));
    assertOnlyProblem(19, "window (31d) is longer than the view's ttl (30d)");
  }

  @Test
  void load_windowShorterThanOneSecond_refusedWithLine() throws IOException {
    write(replace("of: quantity, window: 1s", "of: quantity, window: 999ms"));
    assertOnlyProblem(23, "window (999ms) is shorter than 1s");
  }

  @Test
  void load_missingWindow_refusedWithLine() throws IOException {
    write(replace("function: count, window: 1h", "function: count"));
    assertOnlyProblem(16, "missing required key 'window'");
  }

  @Test
  void load_featuresOnEventView_refusedWithLine() throws IOException {
    write(replace("    fields:\n", "    features:\n      - {name: x, type: bool}\n    fields:\n"));
    assertOnlyProblem(10, "an event view has fields and aggregations, not features");
  }

  @Test
  void load_aggregationsOnRecordsView_refusedWithLine() throws IOException {
    write(replace("    kind: events\n", "").replace("    fields:\n", "    features:\n"));
    assertOnlyProblem(14, "aggregations belong to an event view");
  }

  @Test
  void load_eventViewWithoutAggregations_refusedWithLine() throws IOException {
    write(EVENTS.substring(0, EVENTS.indexOf("    aggregations:")));
    assertOnlyProblem(6, "missing required key 'aggregations'");
  }

  @Test
  void load_moreThan64Aggregations_refusedWithLine() throws IOException {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      many.append("      - {name: n").append(i).append(", function: count, window: 1h}\n");
    }
    write(EVENTS.substring(0, EVENTS.indexOf("    aggregations:")) + "    aggregations:\n" + many);
    assertOnlyProblem(15, "65 aggregations; an event view has at most 64");
  }

  @Test
  void load_unknownKind_refusedWithLine() throws IOException {
    write(replace("kind: events", "kind: stream"));
    assertOnlyProblem(8, "unknown view kind 'stream' (allowed: records, events)");
  }

  @Test
  void load_duplicateAggregation_refusedWithLine() throws IOException {
    write(replace("name: amount_sum_1d", "name: txn_count_1h"));
    assertOnlyProblem(17, "duplicate aggregation 'txn_count_1h'");
  }

  @Test
  void load_serviceNamingAField_refusedWithLine() throws IOException {
    write(EVENTS + "feature_services:\n  - name: s\n    features: [card_transactions:amount]\n");
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaLoader.load(dir));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals(26, e.problems().get(0).line(), e.getMessage());
  }

  private static String replace(String target, String replacement) {
    int at = EVENTS.indexOf(target);
    assertTrue(at >= 0 && EVENTS.indexOf(target, at + 1) < 0, "not unique: " + target);
    return EVENTS.substring(0, at) + replacement + EVENTS.substring(at + target.length());
  }

  private void write(String yaml) throws IOException {
    Files.writeString(dir.resolve("events.yaml"), yaml);
  }

  private void assertOnlyProblem(int line, String reasonPart) {
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaLoader.load(dir));
    assertEquals(1, e.problems().size(), e.getMessage());
    SchemaProblem problem = e.problems().get(0);
    assertEquals(
        dir.getFileName().resolve("events.yaml").toString(), problem.file(), e.getMessage());
    assertEquals(line, problem.line(), e.getMessage());
    assertTrue(problem.reason().contains(reasonPart), e.getMessage());
  }

  private static List<String> names(List<FeatureDef> defs) {
    return defs.stream().map(FeatureDef::name).toList();
  }
}
