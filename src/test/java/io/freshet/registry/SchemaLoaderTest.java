package io.freshet.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.ValueType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaLoaderTest {

  /**
   * A valid entity and view; tests either break it or write it to {@code base.yaml} and add {@code
   * case.yaml}, which sorts after it.
   */
  private static final String BASE =
      """
      entities:
        - name: customer
          join_key: customer_id
          type: int64
      feature_views:
        - name: profile
          entity: customer
          ttl: 30d
          features:
            - name: age
              type: int64
            - name: plan
              type: string
            - name: spend
              type: float64
              nullable: true
            - name: premium
              type: bool
      """;

  @TempDir Path dir;

  // ---- the shipped examples ----

  @Test
  void load_exampleSchemas_loadWithExpectedDefinitions() throws Exception {
    SchemaSet set = SchemaLoader.load(Path.of("schemas"));

    assertEquals(List.of("customer", "card", "merchant"), names(set.entities(), EntityDef::name));
    assertEquals(
        List.of(
            "customer_profile",
            "customer_activity",
            "customer_support",
            "customer_behaviour",
            "card_transactions",
            "card_profile",
            "merchant_risk"),
        names(set.views(), FeatureView::name));
    assertEquals(
        List.of(
            "tenure_years",
            "minutes_per_session",
            "support_pressure",
            "log_minutes",
            "premium_plan",
            "spend_z",
            "sessions_scaled",
            "tenure_bucket",
            "avg_amount_1h"),
        names(set.transformations(), TransformationDef::name));
    assertEquals(
        List.of("churn_v1", "churn_raw", "churn_v2", "churn_behaviour_v1", "fraud_v1"),
        names(set.services(), FeatureServiceDef::name));

    EntityDef card = set.entities().get(1);
    assertEquals("card_id", card.joinKey());
    assertEquals(ValueType.STRING, card.keyType());

    FeatureView profile = view(set, "customer_profile");
    assertEquals("customer", profile.entity().name());
    assertEquals(30L * 86_400_000L, profile.ttlMs());
    assertEquals(
        new FreshnessSla(86_400_000L, 3L * 86_400_000L, OnRotten.SERVE), profile.freshness());
    FeatureDef age = profile.feature("age").orElseThrow();
    assertEquals(ValueType.INT64, age.type());
    assertEquals(0, age.min().compareTo(BigDecimal.ZERO));
    assertEquals(0, age.max().compareTo(BigDecimal.valueOf(150)));
    assertEquals(
        List.of("basic", "pro", "enterprise"),
        profile.feature("plan").orElseThrow().allowedValues());
    FeatureDef spend = profile.feature("monthly_spend").orElseThrow();
    assertTrue(spend.nullable());
    assertNull(spend.max());
    assertFalse(profile.feature("tenure_days").orElseThrow().nullable());

    FeatureView activity = view(set, "customer_activity");
    assertEquals(new FreshnessSla(3_600_000L, 21_600_000L, OnRotten.NULLIFY), activity.freshness());
    assertEquals(3, activity.features().size());
    assertEquals(OnRotten.REJECT, view(set, "card_transactions").freshness().onRotten());
    assertTrue(view(set, "card_transactions").isEvents());
    assertEquals(7, view(set, "card_transactions").aggregations().size());
    assertEquals("merchant", view(set, "merchant_risk").entity().name());
    assertEquals(
        ValueType.BOOL, view(set, "card_profile").feature("is_premium").orElseThrow().type());

    TransformationDef perSession = transformation(set, "minutes_per_session");
    assertEquals(ValueType.FLOAT64, perSession.outputType());
    assertFalse(perSession.fitted());
    assertEquals(
        List.of(
            new FeatureRef("customer_activity", "sessions_7d"),
            new FeatureRef("customer_activity", "minutes_7d")),
        perSession.inputs());
    TransformationDef spendZ = transformation(set, "spend_z");
    assertTrue(spendZ.fitted());
    assertEquals("standardize", spendZ.kind());
    assertEquals(ValueType.FLOAT64, spendZ.outputType());

    FeatureServiceDef churn = set.services().get(0);
    assertEquals(12, churn.items().size());
    List<String> columns = names(churn.items(), ServiceItem::columnName);
    assertTrue(columns.contains("customer_support:csat_score"));
    assertTrue(columns.contains("tenure_years"));
    assertTrue(columns.contains("minutes_per_session"));
    assertFalse(columns.contains("spend_z"));
    FeatureServiceDef wide = set.services().get(3);
    assertEquals(50, wide.items().size());
    assertTrue(wide.items().stream().noneMatch(item -> item.columnName().equals("spend_z")));
    FeatureServiceDef fraud = set.services().get(4);
    assertEquals(8, fraud.items().size());
    assertEquals("avg_amount_1h", fraud.items().get(7).transformation());
  }

  // ---- what valid files yield ----

  @Test
  void load_optionalKeysOmitted_appliesDefaults() throws Exception {
    write("base.yaml", BASE);
    SchemaSet set = SchemaLoader.load(dir);
    FeatureView profile = set.views().get(0);
    assertEquals(FreshnessSla.DEFAULT, profile.freshness());
    assertNull(profile.description());
    FeatureDef age = profile.feature("age").orElseThrow();
    assertFalse(age.nullable());
    assertNull(age.min());
    assertTrue(age.allowedValues().isEmpty());
  }

  @Test
  void load_partialFreshness_defaultsTheRest() throws Exception {
    write("base.yaml", base("    ttl: 30d\n", "    ttl: 30d\n    freshness:\n      stale: 10m\n"));
    FreshnessSla sla = SchemaLoader.load(dir).views().get(0).freshness();
    assertEquals(new FreshnessSla(60_000L, 600_000L, OnRotten.SERVE), sla);
  }

  @Test
  void load_ttlShorterThanStale_accepted() throws Exception {
    write("base.yaml", base("ttl: 30d", "ttl: 2m"));
    assertEquals(120_000L, SchemaLoader.load(dir).views().get(0).ttlMs());
  }

  @Test
  void load_referencesAcrossFilesAndSubdirectories_resolve() throws Exception {
    write("a/entities.yml", BASE.substring(0, BASE.indexOf("feature_views:")));
    write("b/views.yaml", BASE.substring(BASE.indexOf("feature_views:")));
    write(
        "c/services.yaml",
        """
        feature_services:
          - name: svc
            features: [profile:age, double_age]
        transformations:
          - name: double_age
            inputs: [profile:age]
            expression: age * 2
        """);
    write("notes.txt", "not: [yaml");
    SchemaSet set = SchemaLoader.load(dir);
    assertEquals(1, set.entities().size());
    assertEquals(1, set.views().size());
    assertEquals(ValueType.INT64, set.transformations().get(0).outputType());
    assertEquals(2, set.services().get(0).items().size());
  }

  @Test
  void load_pinnedTransformation_keepsVersion() throws Exception {
    write("base.yaml", BASE);
    write(
        "svc.yaml",
        """
        transformations:
          - name: spend_z
            kind: standardize
            inputs: [profile:spend]
        feature_services:
          - name: svc
            features: [spend_z@2]
        """);
    ServiceItem item = SchemaLoader.load(dir).services().get(0).items().get(0);
    assertEquals(ServiceItem.ofTransformation("spend_z", 2), item);
  }

  @Test
  void load_fittedKinds_yieldOptionsAndOutputTypes() throws Exception {
    write("base.yaml", BASE);
    write(
        "fitted.yaml",
        """
        transformations:
          - name: age_filled
            kind: impute
            inputs: [profile:age]
            strategy: constant
            value: 30
          - name: spend_filled
            kind: impute
            inputs: [profile:spend]
            strategy: median
          - name: age_bucket
            kind: bucketize
            inputs: [profile:age]
            buckets: 10
          - name: plan_index
            kind: category_index
            inputs: [profile:plan]
          - name: spend_scaled
            kind: min_max
            inputs: [profile:spend]
        """);
    SchemaSet set = SchemaLoader.load(dir);
    TransformationDef ageFilled = transformation(set, "age_filled");
    assertEquals(ValueType.INT64, ageFilled.outputType());
    assertEquals(Map.of("strategy", "constant", "value", 30L), ageFilled.options());
    assertEquals(ValueType.FLOAT64, transformation(set, "spend_filled").outputType());
    assertEquals(Map.of("buckets", 10), transformation(set, "age_bucket").options());
    assertEquals(ValueType.INT64, transformation(set, "age_bucket").outputType());
    assertEquals(ValueType.INT64, transformation(set, "plan_index").outputType());
    assertEquals(ValueType.FLOAT64, transformation(set, "spend_scaled").outputType());
  }

  // ---- directory and file level ----

  @Test
  void load_emptyDirectory_refused() {
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaLoader.load(dir));
    assertEquals(
        List.of(
            new SchemaProblem(
                dir.toString(), 0, "no *.yaml or *.yml schema files in this directory")),
        e.problems());
  }

  @Test
  void load_directoryMissing_refused() {
    Path missing = dir.resolve("nope");
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaLoader.load(missing));
    assertEquals(
        List.of(new SchemaProblem(missing.toString(), 0, "not a directory")), e.problems());
  }

  @Test
  void load_badYamlSyntax_refusedWithLine() throws IOException {
    write("case.yaml", "entities:\n  - name: a\n   join_key: [b\n");
    assertOnlyProblem("case.yaml", 3, "YAML syntax");
  }

  @Test
  void load_rootNotAMapping_refused() throws IOException {
    write("case.yaml", "- entities\n");
    assertOnlyProblem("case.yaml", 1, "a schema file must be a mapping");
  }

  @Test
  void load_unknownSection_refusedWithLine() throws IOException {
    write("case.yaml", BASE + "features:\n  - name: x\n");
    assertOnlyProblem("case.yaml", 19, "unknown key 'features'");
  }

  @Test
  void load_sectionNotAList_refusedWithLine() throws IOException {
    write("case.yaml", "entities:\n  name: customer\n");
    assertOnlyProblem("case.yaml", 1, "'entities' must be a list");
  }

  @Test
  void load_duplicateKey_refusedWithLine() throws IOException {
    write("case.yaml", base("    ttl: 30d\n", "    ttl: 30d\n    ttl: 1d\n"));
    assertOnlyProblem("case.yaml", 9, "duplicate key 'ttl'");
  }

  // ---- entities ----

  @Test
  void load_unknownEntityKey_refusedWithLine() throws IOException {
    write(
        "case.yaml",
        base("customer_id\n    type: int64\n", "customer_id\n    type: int64\n    owner: crm\n"));
    assertOnlyProblem("case.yaml", 5, "unknown key 'owner' in an entity");
  }

  @Test
  void load_entityTypeFloat_refusedWithLine() throws IOException {
    write("case.yaml", base("customer_id\n    type: int64\n", "customer_id\n    type: float64\n"));
    assertOnlyProblem("case.yaml", 4, "unknown join key type 'float64'");
  }

  @Test
  void load_entityWithoutJoinKey_refusedWithLine() throws IOException {
    write("case.yaml", base("    join_key: customer_id\n", ""));
    assertOnlyProblem("case.yaml", 2, "missing required key 'join_key'");
  }

  @Test
  void load_invalidName_refusedWithLine() throws IOException {
    write("case.yaml", base("- name: age", "- name: Age"));
    assertOnlyProblem("case.yaml", 10, "'Age' is not a valid name");
  }

  @Test
  void load_duplicateEntityAcrossFiles_refusedWithLine() throws IOException {
    write("a.yaml", BASE);
    write("b.yaml", "# again\nentities:\n  - name: customer\n    join_key: id\n    type: string\n");
    assertOnlyProblem(
        "b.yaml", 3, "duplicate entity 'customer', first declared at " + name("a.yaml") + ":2");
  }

  // ---- feature views ----

  @Test
  void load_duplicateViewName_refusedWithLine() throws IOException {
    write("base.yaml", BASE);
    write(
        "case.yaml",
        "feature_views:\n  - name: profile\n    entity: customer\n    ttl: 1d\n    features:\n      - {name: x, type: bool}\n");
    assertOnlyProblem("case.yaml", 2, "duplicate feature view 'profile'");
  }

  @Test
  void load_viewWithUndeclaredEntity_refusedWithLine() throws IOException {
    write("case.yaml", base("entity: customer", "entity: client"));
    assertOnlyProblem("case.yaml", 7, "entity 'client' is not declared");
  }

  @Test
  void load_missingTtl_refusedWithLine() throws IOException {
    write("case.yaml", base("    ttl: 30d\n", ""));
    assertOnlyProblem("case.yaml", 6, "missing required key 'ttl'");
  }

  @Test
  void load_malformedDuration_refusedWithLine() throws IOException {
    write("case.yaml", base("ttl: 30d", "ttl: 30 days"));
    assertOnlyProblem("case.yaml", 8, "malformed duration '30 days'");
  }

  @Test
  void load_freshAboveStale_refusedWithLine() throws IOException {
    write(
        "case.yaml",
        base(
            "    ttl: 30d\n", "    ttl: 30d\n    freshness:\n      fresh: 10m\n      stale: 5m\n"));
    assertOnlyProblem("case.yaml", 10, "fresh (10m) is greater than stale (5m)");
  }

  @Test
  void load_retentionShorterThanTtl_refusedWithLine() throws IOException {
    write("case.yaml", base("    ttl: 30d\n", "    ttl: 30d\n    retention: 20d\n"));
    assertOnlyProblem("case.yaml", 9, "retention (20d) is shorter than ttl (30d)");
  }

  @Test
  void load_retentionMalformed_refusedWithLine() throws IOException {
    write("case.yaml", base("    ttl: 30d\n", "    ttl: 30d\n    retention: forever\n"));
    assertOnlyProblem("case.yaml", 9, "retention: malformed duration 'forever'");
  }

  @Test
  void load_retentionAsLongAsTtlOrAbsent_kept() throws Exception {
    write("case.yaml", base("    ttl: 30d\n", "    ttl: 30d\n    retention: 720h\n"));
    FeatureView view = view(SchemaLoader.load(dir), "profile");
    assertEquals(java.time.Duration.ofDays(30), view.retention().orElseThrow());
    write("case.yaml", BASE);
    assertTrue(view(SchemaLoader.load(dir), "profile").retention().isEmpty());
  }

  @Test
  void load_staleBelowDefaultFresh_refusedWithLine() throws IOException {
    write("case.yaml", base("    ttl: 30d\n", "    ttl: 30d\n    freshness:\n      stale: 30s\n"));
    assertOnlyProblem("case.yaml", 10, "fresh (1m by default) is greater than stale (30s)");
  }

  @Test
  void load_unknownOnRotten_refusedWithLine() throws IOException {
    write(
        "case.yaml",
        base("    ttl: 30d\n", "    ttl: 30d\n    freshness:\n      on_rotten: drop\n"));
    assertOnlyProblem("case.yaml", 10, "unknown on_rotten 'drop'");
  }

  @Test
  void load_unknownFreshnessKey_refusedWithLine() throws IOException {
    write("case.yaml", base("    ttl: 30d\n", "    ttl: 30d\n    freshness:\n      rotten: 1h\n"));
    assertOnlyProblem("case.yaml", 10, "unknown key 'rotten' in freshness");
  }

  @Test
  void load_unknownViewKey_refusedWithLine() throws IOException {
    write("case.yaml", base("    ttl: 30d\n", "    ttl: 30d\n    owner: growth\n"));
    assertOnlyProblem("case.yaml", 9, "unknown key 'owner' in a feature view");
  }

  @Test
  void load_viewWithoutFeatures_refusedWithLine() throws IOException {
    write("case.yaml", BASE.substring(0, BASE.indexOf("    features:")) + "    features: []\n");
    assertOnlyProblem("case.yaml", 9, "'features' must list at least one item");
  }

  // ---- features ----

  @Test
  void load_unknownFeatureType_refusedWithLine() throws IOException {
    write("case.yaml", base("type: bool", "type: boolean"));
    assertOnlyProblem("case.yaml", 18, "unknown feature type 'boolean'");
  }

  @Test
  void load_unknownFeatureKey_refusedWithLine() throws IOException {
    write(
        "case.yaml", base("        type: bool\n", "        type: bool\n        default: false\n"));
    assertOnlyProblem("case.yaml", 19, "unknown key 'default' in a feature");
  }

  @Test
  void load_duplicateFeatureInView_refusedWithLine() throws IOException {
    write("case.yaml", base("- name: premium", "- name: plan"));
    assertOnlyProblem("case.yaml", 17, "duplicate feature 'plan' in this view");
  }

  @Test
  void load_minAboveMax_refusedWithLine() throws IOException {
    write(
        "case.yaml",
        base("        type: int64\n", "        type: int64\n        min: 150\n        max: 0\n"));
    assertOnlyProblem("case.yaml", 12, "min 150 is above max 0");
  }

  @Test
  void load_minOnStringFeature_refusedWithLine() throws IOException {
    write("case.yaml", base("        type: string\n", "        type: string\n        min: 1\n"));
    assertOnlyProblem(
        "case.yaml", 14, "min applies only to int64 and float64 features, not string");
  }

  @Test
  void load_fractionalMinOnInt64_refusedWithLine() throws IOException {
    write("case.yaml", base("        type: int64\n", "        type: int64\n        min: 0.5\n"));
    assertOnlyProblem("case.yaml", 12, "must be a whole number");
  }

  @Test
  void load_nonNumericMax_refusedWithLine() throws IOException {
    write(
        "case.yaml", base("        type: float64\n", "        type: float64\n        max: .inf\n"));
    assertOnlyProblem("case.yaml", 16, "'max' must be a finite number");
  }

  @Test
  void load_valuesOnInt64Feature_refusedWithLine() throws IOException {
    write(
        "case.yaml",
        base("        type: int64\n", "        type: int64\n        values: [a, b]\n"));
    assertOnlyProblem("case.yaml", 12, "values applies only to string features, not int64");
  }

  @Test
  void load_valueListedTwice_refusedWithLine() throws IOException {
    write(
        "case.yaml",
        base(
            "        type: string\n",
            "        type: string\n        values:\n          - basic\n          - basic\n"));
    assertOnlyProblem("case.yaml", 16, "value 'basic' is listed twice");
  }

  @Test
  void load_nullableNotBoolean_refusedWithLine() throws IOException {
    write("case.yaml", base("nullable: true", "nullable: \"yes\""));
    assertOnlyProblem("case.yaml", 16, "'nullable' must be true or false");
  }

  // ---- transformations ----

  @Test
  void load_expressionNotParsing_refusedWithLineOfExpressionKey() throws IOException {
    writeTransformation("expression: age *\n");
    assertOnlyProblem("case.yaml", 4, "expression does not parse");
  }

  @Test
  void load_expressionNamingUndeclaredInput_refusedWithLine() throws IOException {
    writeTransformation("expression: age + tenure\n");
    assertOnlyProblem("case.yaml", 4, "names 'tenure', which is not an input");
  }

  @Test
  void load_expressionNamingFeatureNotListedAsInput_refusedWithLine() throws IOException {
    writeTransformation("expression: double(age) * spend\n");
    assertOnlyProblem("case.yaml", 4, "names 'spend', which is not an input");
  }

  @Test
  void load_expressionTypeError_refusedWithLine() throws IOException {
    writeTransformation("expression: age / 2.0\n");
    assertOnlyProblem("case.yaml", 4, "expression does not type-check: found no matching overload");
  }

  @Test
  void load_expressionListResult_refusedWithLine() throws IOException {
    writeTransformation("expression: \"[age]\"\n");
    assertOnlyProblem("case.yaml", 4, "must yield int, double, bool or string");
  }

  @Test
  void load_expressionInputsBindingSameName_refusedWithLine() throws IOException {
    write("base.yaml", BASE);
    write(
        "case.yaml",
        """
        feature_views:
          - name: other
            entity: customer
            ttl: 1d
            features:
              - {name: age, type: int64}
        transformations:
          - name: t
            inputs: [profile:age, other:age]
            expression: age + age
        """);
    assertOnlyProblem(
        "case.yaml", 9, "inputs 'profile:age' and 'other:age' both bind the name 'age'");
  }

  @Test
  void load_transformationWithExpressionAndKind_refusedWithLine() throws IOException {
    writeTransformation("expression: age * 2\n    kind: standardize\n");
    assertOnlyProblem("case.yaml", 5, "one of expression, kind and java, not several");
  }

  @Test
  void load_transformationWithExpressionAndJava_refusedWithLine() throws IOException {
    writeTransformation("expression: age * 2\n    java: test_square\n");
    assertOnlyProblem("case.yaml", 5, "one of expression, kind and java, not several");
  }

  @Test
  void load_javaTransformationWithoutProvider_refusedWithLine() throws IOException {
    writeTransformation("java: no_such_provider\n");
    assertOnlyProblem(
        "case.yaml", 4, "no CustomTransformation named 'no_such_provider' is on the class path");
  }

  @Test
  void load_javaTransformationRefusingInputs_refusedWithProvidersReason() throws IOException {
    write("base.yaml", BASE);
    write(
        "case.yaml",
        "transformations:\n  - name: t\n    inputs: [profile:plan]\n    java: test_square\n");
    assertOnlyProblem("case.yaml", 3, "'test_square' refuses its inputs: squares one number");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "log('x')",
        "clamp(age, 1.0, 2)",
        "min(age, 2.5)",
        "exp(age) + age",
        "sqrt()",
      })
  void load_mathFunctionMisused_refusedAtLoad(String expression) throws IOException {
    writeTransformation("expression: \"" + expression + "\"\n");
    assertOnlyProblem("case.yaml", 4, "expression does not type-check");
  }

  @Test
  void load_transformationWithNeitherExpressionNorKind_refusedWithLine() throws IOException {
    writeTransformation("description: nothing to compute\n");
    assertOnlyProblem("case.yaml", 2, "needs an expression, a kind or a java implementation");
  }

  @Test
  void load_duplicateTransformationName_refusedWithLine() throws IOException {
    write("base.yaml", BASE);
    write(
        "case.yaml",
        """
        transformations:
          - name: twice
            inputs: [profile:age]
            expression: age * 2
          - name: twice
            inputs: [profile:age]
            expression: age + age
        """);
    assertOnlyProblem(
        "case.yaml",
        5,
        "duplicate transformation 'twice', first declared at " + name("case.yaml") + ":2");
  }

  @Test
  void load_transformationInputListedTwice_refusedWithLine() throws IOException {
    write("base.yaml", BASE);
    write(
        "case.yaml",
        "transformations:\n  - name: t\n    inputs:\n      - profile:age\n      - profile:age\n    expression: age\n");
    assertOnlyProblem("case.yaml", 5, "input 'profile:age' is listed twice");
  }

  @Test
  void load_transformationUnknownInputFeature_refusedWithLine() throws IOException {
    write("base.yaml", BASE);
    write(
        "case.yaml",
        "transformations:\n  - name: t\n    inputs:\n      - profile:age\n      - profile:height\n    expression: age\n");
    assertOnlyProblem("case.yaml", 5, "input 'profile:height' names an unknown feature 'height'");
  }

  @Test
  void load_transformationUnknownInputView_refusedWithLine() throws IOException {
    write("base.yaml", BASE);
    write(
        "case.yaml",
        "transformations:\n  - name: t\n    inputs: [billing:age]\n    expression: age\n");
    assertOnlyProblem("case.yaml", 3, "names an unknown feature view 'billing'");
  }

  @Test
  void load_transformationMalformedInput_refusedWithLine() throws IOException {
    write("base.yaml", BASE);
    write("case.yaml", "transformations:\n  - name: t\n    inputs: [age]\n    expression: age\n");
    assertOnlyProblem("case.yaml", 3, "input 'age' is not of the form view:feature");
  }

  @Test
  void load_unknownFittedKind_refusedWithLine() throws IOException {
    writeFitted("kind: log_scale\n    inputs: [profile:spend]\n");
    assertOnlyProblem("case.yaml", 3, "unknown kind 'log_scale'");
  }

  @Test
  void load_standardizeOnString_refusedWithLine() throws IOException {
    writeFitted("kind: standardize\n    inputs: [profile:plan]\n");
    assertOnlyProblem(
        "case.yaml", 4, "kind standardize needs an input of type int64 or float64, not string");
  }

  @Test
  void load_minMaxWithTwoInputs_refusedWithLine() throws IOException {
    writeFitted("kind: min_max\n    inputs: [profile:age, profile:spend]\n");
    assertOnlyProblem("case.yaml", 4, "kind min_max takes exactly one input, not 2");
  }

  @Test
  void load_categoryIndexOnInt_refusedWithLine() throws IOException {
    writeFitted("kind: category_index\n    inputs: [profile:age]\n");
    assertOnlyProblem(
        "case.yaml", 4, "kind category_index needs an input of type string, not int64");
  }

  @Test
  void load_bucketizeWithoutBuckets_refusedWithLine() throws IOException {
    writeFitted("kind: bucketize\n    inputs: [profile:age]\n");
    assertOnlyProblem("case.yaml", 2, "kind bucketize needs 'buckets'");
  }

  @Test
  void load_bucketizeBucketsOutOfRange_refusedWithLine() throws IOException {
    writeFitted("kind: bucketize\n    inputs: [profile:age]\n    buckets: 1\n");
    assertOnlyProblem("case.yaml", 5, "'buckets' must be an integer from 2 to 1000, not '1'");
  }

  @Test
  void load_bucketsOnStandardize_refusedWithLine() throws IOException {
    writeFitted("kind: standardize\n    inputs: [profile:age]\n    buckets: 5\n");
    assertOnlyProblem("case.yaml", 5, "'buckets' does not apply to kind standardize");
  }

  @Test
  void load_strategyOnExpression_refusedWithLine() throws IOException {
    writeTransformation("expression: age * 2\n    strategy: mean\n");
    assertOnlyProblem("case.yaml", 5, "'strategy' applies only to a fitted kind");
  }

  @Test
  void load_imputeUnknownStrategy_refusedWithLine() throws IOException {
    writeFitted("kind: impute\n    inputs: [profile:spend]\n    strategy: mode\n");
    assertOnlyProblem("case.yaml", 5, "unknown strategy 'mode'");
  }

  @Test
  void load_imputeWithoutStrategy_refusedWithLine() throws IOException {
    writeFitted("kind: impute\n    inputs: [profile:spend]\n");
    assertOnlyProblem("case.yaml", 2, "missing required key 'strategy'");
  }

  @Test
  void load_imputeConstantWithoutValue_refusedWithLine() throws IOException {
    writeFitted("kind: impute\n    inputs: [profile:spend]\n    strategy: constant\n");
    assertOnlyProblem("case.yaml", 5, "strategy constant needs a 'value'");
  }

  @Test
  void load_imputeMeanOnString_refusedWithLine() throws IOException {
    writeFitted("kind: impute\n    inputs: [profile:plan]\n    strategy: mean\n");
    assertOnlyProblem(
        "case.yaml", 5, "strategy mean needs an input of type int64 or float64, not string");
  }

  @Test
  void load_imputeConstantOfWrongType_refusedWithLine() throws IOException {
    writeFitted(
        "kind: impute\n    inputs: [profile:premium]\n    strategy: constant\n    value: 1\n");
    assertOnlyProblem("case.yaml", 6, "'value' must be true or false");
  }

  // ---- feature services ----

  @Test
  void load_serviceUnknownFeature_refusedWithLine() throws IOException {
    writeService("      - profile:age\n      - profile:height\n");
    assertOnlyProblem(
        "case.yaml", 5, "unknown feature 'profile:height': view 'profile' has no feature 'height'");
  }

  @Test
  void load_serviceFeatureOfUnknownView_refusedWithLine() throws IOException {
    writeService("      - billing:age\n");
    assertOnlyProblem("case.yaml", 4, "unknown feature 'billing:age': no feature view 'billing'");
  }

  @Test
  void load_serviceUnknownTransformation_refusedWithLine() throws IOException {
    writeService("      - profile:age\n      - spend_z@3\n");
    assertOnlyProblem("case.yaml", 5, "unknown transformation 'spend_z'");
  }

  @Test
  void load_serviceZeroPin_refusedWithLine() throws IOException {
    write("base.yaml", BASE);
    write(
        "case.yaml",
        "transformations:\n  - name: twice\n    inputs: [profile:age]\n    expression: age * 2\n"
            + "feature_services:\n  - name: svc\n    features: [twice@0]\n");
    assertOnlyProblem("case.yaml", 7, "a version pin is @N with N a positive integer");
  }

  @Test
  void load_servicePinnedFeature_refusedWithLine() throws IOException {
    writeService("      - profile:age@2\n");
    assertOnlyProblem("case.yaml", 4, "only a transformation can be pinned");
  }

  @Test
  void load_serviceListingFeatureTwice_refusedWithLine() throws IOException {
    writeService("      - profile:age\n      - profile:plan\n      - profile:age\n");
    assertOnlyProblem("case.yaml", 6, "'profile:age' is listed twice");
  }

  @Test
  void load_unknownServiceKey_refusedWithLine() throws IOException {
    writeService("      - profile:age\n    model: churn\n");
    assertOnlyProblem("case.yaml", 5, "unknown key 'model' in a feature service");
  }

  // ---- collection ----

  @Test
  void load_manyProblemsInManyFiles_allReportedInFileAndLineOrder() throws IOException {
    write("a.yaml", base("ttl: 30d", "ttl: 30x").replace("type: bool\n", "type: boolean\n"));
    write(
        "b.yaml",
        """
        feature_views:
          - name: activity
            entity: shopper
            ttl: 1d
            features:
              - {name: sessions, type: int64, min: 5, max: 1}
        feature_services:
          - name: svc
            features: [profile:height, nothing]
        """);
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaLoader.load(dir));
    List<String> where =
        e.problems().stream().map(p -> p.file() + ":" + p.line()).collect(Collectors.toList());
    assertEquals(
        List.of(
            name("a.yaml") + ":8",
            name("a.yaml") + ":18",
            name("b.yaml") + ":3",
            name("b.yaml") + ":6",
            name("b.yaml") + ":9",
            name("b.yaml") + ":9"),
        where,
        e.getMessage());
    assertTrue(e.getMessage().startsWith("6 schema problems:"), e.getMessage());
    assertTrue(
        e.getMessage().contains(name("b.yaml") + ":3: entity 'shopper' is not declared"),
        e.getMessage());
  }

  // ---- monitoring ----

  private void writeMonitored(String monitoring) throws IOException {
    write("base.yaml", BASE);
    write(
        "case.yaml",
        "feature_services:\n  - name: svc\n    features: [profile:age]\n    monitoring:\n"
            + monitoring);
  }

  @Test
  void monitoring_settings_readWithDefaultsForTheRest() throws Exception {
    writeMonitored("      sample: 0.1\n      window: 30m\n      drift: {broken: 0.5}\n");
    MonitoringDef m = SchemaLoader.load(dir).services().get(0).monitoring();
    assertEquals(new MonitoringDef(0.1, 1_800_000L, 100, 0.1, 0.5, 0.0), m);
  }

  @Test
  void monitoring_absent_serviceIsNotWatched() throws Exception {
    writeService("      - profile:age\n");
    assertTrue(SchemaLoader.load(dir).services().get(0).monitored().isEmpty());
  }

  @Test
  void monitoring_sampleZero_refusedWithFileAndLine() throws IOException {
    writeMonitored("      window: 1h\n      sample: 0\n");
    assertOnlyProblem("case.yaml", 6, "'sample' must be in (0, 1], not 0");
  }

  @Test
  void monitoring_sampleAboveOne_refused() throws IOException {
    writeMonitored("      sample: 1.5\n");
    assertOnlyProblem("case.yaml", 5, "'sample' must be in (0, 1], not 1.5");
  }

  @Test
  void monitoring_sampleNotANumber_refused() throws IOException {
    writeMonitored("      sample: often\n");
    assertOnlyProblem("case.yaml", 5, "'sample' must be a finite number");
  }

  @Test
  void monitoring_skewSampleZero_isOff_butNegativeRefused() throws Exception {
    writeMonitored("      skew_sample: 0\n");
    assertEquals(0.0, SchemaLoader.load(dir).services().get(0).monitoring().skewSample());
    writeMonitored("      skew_sample: -0.1\n");
    assertOnlyProblem("case.yaml", 5, "'skew_sample' must be in [0, 1]");
  }

  @Test
  void monitoring_windowBelowAMinuteOrNotWholeMinutes_refused() throws IOException {
    writeMonitored("      window: 30s\n");
    assertOnlyProblem("case.yaml", 5, "at least 1m");
    writeMonitored("      window: 90s\n");
    assertOnlyProblem("case.yaml", 5, "whole number of minutes");
  }

  @Test
  void monitoring_driftingAboveBroken_andUnknownKeys_refused() throws IOException {
    writeMonitored("      drift: {drifting: 0.3, broken: 0.2}\n");
    assertOnlyProblem("case.yaml", 5, "'drifting' (0.3) is above 'broken' (0.2)");
    writeMonitored("      samples: 0.5\n");
    assertOnlyProblem("case.yaml", 5, "unknown key 'samples' in monitoring");
  }

  // ---- helpers ----

  /** {@link #BASE} with one occurrence of {@code target} replaced; fails if it is not unique. */
  private static String base(String target, String replacement) {
    int at = BASE.indexOf(target);
    assertTrue(at >= 0 && BASE.indexOf(target, at + 1) < 0, "not unique in BASE: " + target);
    return BASE.substring(0, at) + replacement + BASE.substring(at + target.length());
  }

  private void writeTransformation(String body) throws IOException {
    write("base.yaml", BASE);
    write("case.yaml", "transformations:\n  - name: t\n    inputs: [profile:age]\n    " + body);
  }

  private void writeFitted(String body) throws IOException {
    write("base.yaml", BASE);
    write("case.yaml", "transformations:\n  - name: t\n    " + body);
  }

  private void writeService(String items) throws IOException {
    write("base.yaml", BASE);
    write("case.yaml", "feature_services:\n  - name: svc\n    features:\n" + items);
  }

  private void write(String file, String yaml) throws IOException {
    Path path = dir.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, yaml);
  }

  /** How problems name a file: relative to the parent of the loaded directory. */
  private String name(String file) {
    return dir.getFileName().resolve(file).toString();
  }

  private void assertOnlyProblem(String file, int line, String reasonPart) {
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaLoader.load(dir));
    assertEquals(1, e.problems().size(), e.getMessage());
    SchemaProblem problem = e.problems().get(0);
    assertEquals(name(file), problem.file(), e.getMessage());
    assertEquals(line, problem.line(), e.getMessage());
    assertTrue(problem.reason().contains(reasonPart), e.getMessage());
  }

  private static FeatureView view(SchemaSet set, String name) {
    return set.views().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  private static TransformationDef transformation(SchemaSet set, String name) {
    return set.transformations().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static <T> List<String> names(
      List<T> items, java.util.function.Function<T, String> name) {
    return items.stream().map(name).collect(Collectors.toList());
  }
}
