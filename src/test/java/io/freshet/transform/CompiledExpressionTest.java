package io.freshet.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CompiledExpressionTest {

  private static final Map<String, ValueType> INPUTS =
      Map.of(
          "sessions",
          ValueType.INT64,
          "minutes",
          ValueType.FLOAT64,
          "plan",
          ValueType.STRING,
          "premium",
          ValueType.BOOL);

  @Test
  void evaluate_intArithmetic_yieldsLong() throws Exception {
    CompiledExpression e = CompiledExpression.compile("sessions * 2 + 1", INPUTS);
    assertEquals(ValueType.INT64, e.resultType());
    assertEquals(15L, e.evaluate(row(7L, 1.0, "pro", true)));
  }

  @Test
  void evaluate_doubleConversion_yieldsDouble() throws Exception {
    CompiledExpression e = CompiledExpression.compile("double(sessions) / 4.0", INPUTS);
    assertEquals(ValueType.FLOAT64, e.resultType());
    assertEquals(1.75, e.evaluate(row(7L, 1.0, "pro", true)));
  }

  @Test
  void evaluate_conditionalGuardingDivision_takesBothBranches() throws Exception {
    CompiledExpression e =
        CompiledExpression.compile("sessions > 0 ? minutes / double(sessions) : 0.0", INPUTS);
    assertEquals(ValueType.FLOAT64, e.resultType());
    assertEquals(12.5, e.evaluate(row(4L, 50.0, "pro", true)));
    assertEquals(0.0, e.evaluate(row(0L, 50.0, "pro", true)));
  }

  @Test
  void evaluate_stringEquality_yieldsBoolean() throws Exception {
    CompiledExpression e = CompiledExpression.compile("plan == 'enterprise' || premium", INPUTS);
    assertEquals(ValueType.BOOL, e.resultType());
    assertEquals(true, e.evaluate(row(1L, 1.0, "enterprise", false)));
    assertEquals(false, e.evaluate(row(1L, 1.0, "basic", false)));
    assertEquals(true, e.evaluate(row(1L, 1.0, "basic", true)));
  }

  @Test
  void evaluate_stringResult_yieldsString() throws Exception {
    CompiledExpression e = CompiledExpression.compile("plan + '_' + string(sessions)", INPUTS);
    assertEquals(ValueType.STRING, e.resultType());
    assertEquals("pro_3", e.evaluate(row(3L, 1.0, "pro", true)));
  }

  @Test
  void evaluate_mathExtension_available() throws Exception {
    CompiledExpression e =
        CompiledExpression.compile("math.sqrt(minutes) + math.abs(-2.0)", INPUTS);
    assertEquals(5.0, e.evaluate(row(1L, 9.0, "pro", true)));
  }

  @Test
  void evaluate_plainMathFunctions_computeLikeJavaMath() throws Exception {
    Object[] row = {7L, 2.5, "pro", true};
    Map<String, Double> doubles =
        Map.of(
            "log(minutes)",
            Math.log(2.5),
            "log1p(minutes)",
            Math.log1p(2.5),
            "exp(minutes)",
            Math.exp(2.5),
            "sqrt(sessions)",
            Math.sqrt(7),
            "abs(-minutes)",
            2.5,
            "min(minutes, 1.5)",
            1.5,
            "max(minutes, 1.5)",
            2.5,
            "clamp(minutes, 3.0, 4.0)",
            3.0);
    for (Map.Entry<String, Double> e : doubles.entrySet()) {
      assertEquals(e.getValue(), evaluate(e.getKey(), row), e.getKey());
    }
    Map<String, Long> ints =
        Map.of(
            "abs(-sessions)", 7L,
            "min(sessions, 3)", 3L,
            "max(sessions, 3)", 7L,
            "clamp(sessions, 10, 20)", 10L,
            "clamp(sessions, 20, 10)", 10L);
    for (Map.Entry<String, Long> e : ints.entrySet()) {
      assertEquals(e.getValue(), evaluate(e.getKey(), row), e.getKey());
    }
    assertEquals(true, evaluate("plan in ['pro', 'enterprise']", row));
    assertEquals(false, evaluate("plan in ['basic']", row));
  }

  @Test
  void evaluate_logOfZero_refusedAsNotFinite() throws Exception {
    ExpressionException e =
        assertThrows(
            ExpressionException.class,
            () -> evaluate("log(minutes)", new Object[] {1L, 0.0, "pro", true}));
    assertTrue(e.getMessage().contains("not a finite number"), e.getMessage());
  }

  private static Object evaluate(String expression, Object[] row) throws ExpressionException {
    Map<String, ValueType> ordered = new java.util.LinkedHashMap<>();
    ordered.put("sessions", ValueType.INT64);
    ordered.put("minutes", ValueType.FLOAT64);
    ordered.put("plan", ValueType.STRING);
    ordered.put("premium", ValueType.BOOL);
    return CompiledExpression.compile(expression, ordered).apply(row);
  }

  @Test
  void evaluate_extraKeysInRow_ignored() throws Exception {
    CompiledExpression e =
        CompiledExpression.compile("sessions + 1", Map.of("sessions", ValueType.INT64));
    assertEquals(2L, e.evaluate(Map.of("sessions", 1L, "other", "x")));
  }

  @Test
  void evaluate_nullInput_yieldsNull() throws Exception {
    CompiledExpression e = CompiledExpression.compile("minutes * 2.0", INPUTS);
    Map<String, Object> row = row(1L, 1.0, "pro", true);
    row.put("minutes", null);
    assertNull(e.evaluate(row));
  }

  @Test
  void evaluate_absentInput_refused() throws Exception {
    CompiledExpression e = CompiledExpression.compile("minutes * 2.0", INPUTS);
    ExpressionException error =
        assertThrows(ExpressionException.class, () -> e.evaluate(Map.of("sessions", 1L)));
    assertTrue(error.getMessage().contains("is absent"), error.getMessage());
  }

  @Test
  void evaluate_wrongJavaType_refused() throws Exception {
    CompiledExpression e =
        CompiledExpression.compile("sessions + 1", Map.of("sessions", ValueType.INT64));
    ExpressionException error =
        assertThrows(ExpressionException.class, () -> e.evaluate(Map.of("sessions", 1)));
    assertTrue(error.getMessage().contains("must be a Long, got a Integer"), error.getMessage());
  }

  @Test
  void evaluate_integerDivisionByZero_throwsWithMessage() throws Exception {
    CompiledExpression e =
        CompiledExpression.compile("100 / sessions", Map.of("sessions", ValueType.INT64));
    ExpressionException error =
        assertThrows(ExpressionException.class, () -> e.evaluate(Map.of("sessions", 0L)));
    assertTrue(error.getMessage().contains("'100 / sessions' failed"), error.getMessage());
    assertTrue(error.getMessage().contains("by zero"), error.getMessage());
  }

  @Test
  void evaluate_integerOverflow_throwsWithMessage() throws Exception {
    CompiledExpression e =
        CompiledExpression.compile("sessions + 1", Map.of("sessions", ValueType.INT64));
    ExpressionException error =
        assertThrows(
            ExpressionException.class, () -> e.evaluate(Map.of("sessions", Long.MAX_VALUE)));
    assertTrue(error.getMessage().contains("overflow"), error.getMessage());
  }

  @Test
  void evaluate_doubleDivisionByZero_refusedAsNotFinite() throws Exception {
    CompiledExpression e =
        CompiledExpression.compile("1.0 / minutes", Map.of("minutes", ValueType.FLOAT64));
    ExpressionException error =
        assertThrows(ExpressionException.class, () -> e.evaluate(Map.of("minutes", 0.0)));
    assertTrue(error.getMessage().contains("not a finite number"), error.getMessage());
  }

  @Test
  void compile_unknownInput_refused() {
    ExpressionException error =
        assertThrows(
            ExpressionException.class,
            () -> CompiledExpression.compile("sessions + visits", INPUTS));
    assertTrue(error.getMessage().contains("does not type-check"), error.getMessage());
    assertTrue(error.getMessage().contains("'visits', which is not an input"), error.getMessage());
  }

  @Test
  void compile_intPlusDouble_refusedAsTypeError() {
    ExpressionException error =
        assertThrows(
            ExpressionException.class,
            () -> CompiledExpression.compile("sessions + minutes", INPUTS));
    assertTrue(error.getMessage().contains("does not type-check"), error.getMessage());
    assertTrue(error.getMessage().contains("no matching overload"), error.getMessage());
    assertTrue(error.getMessage().contains("column 10"), error.getMessage());
  }

  @Test
  void compile_syntaxError_refusedAsNotParsing() {
    ExpressionException error =
        assertThrows(
            ExpressionException.class, () -> CompiledExpression.compile("sessions +", INPUTS));
    assertTrue(error.getMessage().contains("does not parse"), error.getMessage());
  }

  @Test
  void compile_listResult_refused() {
    ExpressionException error =
        assertThrows(
            ExpressionException.class, () -> CompiledExpression.compile("[sessions]", INPUTS));
    assertTrue(
        error.getMessage().contains("must yield int, double, bool or string"), error.getMessage());
  }

  @Test
  void evaluate_manyThreadsSharingOneProgram_agree() throws Exception {
    CompiledExpression e =
        CompiledExpression.compile("sessions * sessions", Map.of("sessions", ValueType.INT64));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (long i = 0; i < 200; i++) {
        long n = i;
        results.add(pool.submit(() -> e.evaluate(Map.of("sessions", n)).equals(n * n)));
      }
      for (Future<Boolean> result : results) {
        assertTrue(result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<String, Object> row(
      long sessions, double minutes, String plan, boolean premium) {
    Map<String, Object> row = new HashMap<>();
    row.put("sessions", sessions);
    row.put("minutes", minutes);
    row.put("plan", plan);
    row.put("premium", premium);
    return row;
  }
}
