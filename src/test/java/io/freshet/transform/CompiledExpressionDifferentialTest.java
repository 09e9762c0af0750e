package io.freshet.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.ValueType;
import io.freshet.registry.FeatureRef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.SchemaLoader;
import io.freshet.registry.SchemaSet;
import io.freshet.registry.TransformationDef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compiled expressions against the CEL interpreter they replace: the same value bit for bit, of the
 * same Java type, or a failure of the same kind, for every row. Rows mix ordinary values with the
 * edges (zero of both signs, the int extremes, doubles near 2^63, the largest doubles, NaN and the
 * infinities, empty strings) and nulls.
 */
class CompiledExpressionDifferentialTest {

  private static final int ROWS_PER_EXPRESSION = 300;
  private static final int GENERATED_EXPRESSIONS = 1500;

  private static final long[] INT_EDGES = {
    0,
    1,
    -1,
    2,
    -2,
    3,
    7,
    10,
    12,
    18,
    90,
    365,
    1000,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    Long.MAX_VALUE - 1,
    Long.MIN_VALUE + 1,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    3_037_000_499L,
    3_037_000_500L,
    -3_037_000_500L,
    4_294_967_296L
  };
  private static final double[] DOUBLE_EDGES = {
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    2.0,
    365.25,
    1e-300,
    -1e-300,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    1e308,
    -1e308,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    9.223372036854775807E18,
    -9.223372036854775808E18,
    9.223372036854774E18,
    -9.223372036854774E18,
    4.5e15,
    709.8,
    710.0,
    -745.2,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY
  };
  private static final String[] STRING_EDGES = {
    "", "pro", "enterprise", "basic", "a", "b", "ab", "Z", "é", "pro ", "\u0000", "proenterprise"
  };

  private final Random random = new Random(20261204);

  @Test
  void exampleAndTestSchemaExpressions_compiled_matchInterpreter() throws Exception {
    int checked = 0;
    for (Path dir : List.of(Path.of("schemas"), Path.of("src/test/resources/schemas"))) {
      SchemaSet schemas = SchemaLoader.load(dir);
      for (TransformationDef t : schemas.transformations()) {
        if (t.expression() == null) {
          continue;
        }
        CompiledExpression e = CompiledExpression.compile(t.expression(), inputs(schemas, t));
        assertTrue(e.isCompiled(), t.expression() + " should compile to closures");
        checkAgainstInterpreter(e);
        checked++;
      }
    }
    assertTrue(checked >= 11, checked + " schema expressions");
  }

  @Test
  void handWrittenExpressions_compiled_matchInterpreter() throws Exception {
    List<String> expressions =
        List.of(
            "sessions * 2 + 1",
            "double(sessions) / 4.0",
            "sessions > 0 ? minutes / double(sessions) : 0.0",
            "plan == 'enterprise' || premium",
            "log(minutes) + log1p(minutes) + exp(minutes) + sqrt(sessions)",
            "abs(-minutes) + min(minutes, 1.5) + max(minutes, 1.5) + clamp(minutes, 3.0, 4.0)",
            "abs(-sessions) + min(sessions, 3) + max(sessions, 3) + clamp(sessions, 20, 10)",
            "plan in ['pro', 'enterprise']",
            "100 / sessions",
            "100 % sessions",
            "sessions / -1",
            "sessions % -1",
            "-sessions",
            "int(minutes)",
            "int(minutes * 1e10) + sessions",
            "minutes == 0.0 || minutes != -minutes",
            "minutes in [0.0, -0.0, 1.0, sqrt(-1.0)]",
            "sqrt(minutes) == sqrt(minutes)",
            "sqrt(minutes) < 1.0 || sqrt(minutes) >= 1.0",
            "1 / 0 > 0 && premium",
            "premium && 1 / 0 > 0",
            "1 / sessions > 0 || premium",
            "!(premium || 1 / sessions > 0)",
            "premium ? sessions : 1 / sessions",
            "plan < 'pro' ? plan + '!' : plan + plan",
            "plan >= 'basic' && plan <= 'pro'",
            "sessions in [1, 2, 100 / sessions]",
            "premium in [true, sessions > 3]",
            "double(sessions) * 1e300 * 1e300 > 0.0",
            "exp(minutes) > 1e308",
            "(premium ? minutes : 1.0) in [2.0, minutes]",
            "-minutes in [minutes / 0.0, 0.0 / 0.0]");
    for (String expression : expressions) {
      CompiledExpression e = CompiledExpression.compile(expression, HAND_WRITTEN_INPUTS);
      assertTrue(e.isCompiled(), expression + " should compile to closures");
      checkAgainstInterpreter(e);
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS) // CEL's checker costs milliseconds per expression
  void generatedExpressions_compiled_matchInterpreter() throws Exception {
    ExpressionGenerator generator = new ExpressionGenerator(random);
    int compiled = 0;
    for (int i = 0; i < GENERATED_EXPRESSIONS; i++) {
      ValueType type = ValueType.values()[i % ValueType.values().length];
      CompiledExpression e = CompiledExpression.compile(generator.of(type), GENERATED_INPUTS);
      compiled += e.isCompiled() ? 1 : 0;
      checkAgainstInterpreter(e);
    }
    // Only a double compared with itself (an input through ?: branches) falls back.
    assertTrue(compiled > GENERATED_EXPRESSIONS * 95 / 100, compiled + " compiled");
  }

  @Test
  void outsideTheSubset_leftToTheInterpreter() throws Exception {
    for (String expression :
        List.of(
            "math.sqrt(minutes)",
            "string(sessions)",
            "size(plan) > 2",
            "plan.startsWith('p')",
            "[1, 2][0] == sessions",
            "uint(sessions) > 1u",
            "premium < true",
            "minutes == minutes",
            "(premium ? minutes : 1.0) == minutes")) {
      CompiledExpression e = CompiledExpression.compile(expression, HAND_WRITTEN_INPUTS);
      assertFalse(e.isCompiled(), expression + " should stay with the interpreter");
      checkAgainstInterpreter(e);
    }
  }

  private static final Map<String, ValueType> HAND_WRITTEN_INPUTS =
      ordered(
          "sessions", ValueType.INT64,
          "minutes", ValueType.FLOAT64,
          "plan", ValueType.STRING,
          "premium", ValueType.BOOL);

  private static final Map<String, ValueType> GENERATED_INPUTS = ExpressionGenerator.INPUTS;

  private void checkAgainstInterpreter(CompiledExpression compiled) {
    CompiledExpression interpreted = compiled.interpreted();
    List<ValueType> types = new ArrayList<>(compiled.inputs().values());
    for (int r = 0; r < ROWS_PER_EXPRESSION; r++) {
      Object[] row = new Object[types.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = value(types.get(i));
      }
      String expected = outcome(interpreted, row);
      String actual = outcome(compiled, row);
      assertEquals(
          expected, actual, compiled.expression() + " over " + java.util.Arrays.toString(row));
    }
  }

  /** The value with its Java type and exact bits, or the kind of failure. */
  private static String outcome(CompiledExpression e, Object[] row) {
    try {
      Object value = e.apply(row.clone());
      if (value instanceof Double) {
        return "Double " + Long.toHexString(Double.doubleToRawLongBits((Double) value));
      }
      return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    } catch (ExpressionException failure) {
      String message = failure.getMessage();
      assertTrue(message.startsWith("expression '" + e.expression() + "'"), message);
      if (message.contains("not a finite number")) {
        return "failure: not finite";
      }
      assertTrue(message.contains("' failed: "), message);
      return "failure: evaluation";
    }
  }

  private Object value(ValueType type) {
    if (random.nextInt(40) == 0) {
      return null;
    }
    boolean edge = random.nextInt(3) > 0;
    return switch (type) {
      case INT64 ->
          edge
              ? INT_EDGES[random.nextInt(INT_EDGES.length)]
              : random.nextBoolean() ? (long) random.nextInt(2001) - 1000 : random.nextLong();
      case FLOAT64 ->
          edge
              ? DOUBLE_EDGES[random.nextInt(DOUBLE_EDGES.length)]
              : random.nextBoolean()
                  ? random.nextGaussian() * 100
                  : Double.longBitsToDouble(random.nextLong());
      case BOOL -> random.nextBoolean();
      case STRING -> STRING_EDGES[random.nextInt(STRING_EDGES.length)];
    };
  }

  private static Map<String, ValueType> inputs(SchemaSet schemas, TransformationDef t) {
    Map<String, ValueType> inputs = new LinkedHashMap<>();
    for (FeatureRef ref : t.inputs()) {
      FeatureView view =
          schemas.views().stream().filter(v -> v.name().equals(ref.view())).findFirst().get();
      inputs.put(ref.feature(), view.feature(ref.feature()).get().type());
    }
    return inputs;
  }

  /** Inputs in declaration order, which is the positional order rows are given in. */
  static Map<String, ValueType> ordered(Object... namesAndTypes) {
    Map<String, ValueType> inputs = new LinkedHashMap<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      inputs.put((String) namesAndTypes[i], (ValueType) namesAndTypes[i + 1]);
    }
    return inputs;
  }
}
