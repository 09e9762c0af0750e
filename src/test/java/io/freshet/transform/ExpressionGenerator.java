package io.freshet.transform;

import io.freshet.model.ValueType;
import java.util.Map;
import java.util.Random;

/**
 * Random well-typed CEL expressions over {@link #INPUTS}, built from the operators, conversions and
 * functions that {@link ExpressionCompiler} compiles, with literals chosen to reach overflow,
 * division by zero, NaN and the infinities often.
 */
final class ExpressionGenerator {

  static final Map<String, ValueType> INPUTS =
      CompiledExpressionDifferentialTest.ordered(
          "i", ValueType.INT64,
          "j", ValueType.INT64,
          "d", ValueType.FLOAT64,
          "e", ValueType.FLOAT64,
          "s", ValueType.STRING,
          "t", ValueType.STRING,
          "b", ValueType.BOOL,
          "c", ValueType.BOOL);

  private static final int MAX_DEPTH = 4;
  private static final String[] INT_LITERALS = {
    "0",
    "1",
    "2",
    "-1",
    "3",
    "10",
    "365",
    "4611686018427387904",
    "9223372036854775807",
    "-9223372036854775807",
    "3037000500"
  };
  private static final String[] DOUBLE_LITERALS = {
    "0.0",
    "-0.0",
    "1.0",
    "-1.0",
    "0.5",
    "365.25",
    "1e308",
    "-1e308",
    "1e-320",
    "2.5e-3",
    "9.223372036854775807e18",
    "-9.223372036854775808e18",
    "709.8",
    "1e10"
  };
  private static final String[] STRING_LITERALS = {"''", "'pro'", "'enterprise'", "'a'", "'é'"};

  private final Random random;

  ExpressionGenerator(Random random) {
    this.random = random;
  }

  String of(ValueType type) {
    return of(type, 0);
  }

  private String of(ValueType type, int depth) {
    boolean leaf = depth >= MAX_DEPTH || random.nextInt(4) == 0;
    return switch (type) {
      case INT64 -> leaf ? pick("i", "j", pick(INT_LITERALS)) : intNode(depth + 1);
      case FLOAT64 -> leaf ? pick("d", "e", pick(DOUBLE_LITERALS)) : doubleNode(depth + 1);
      case BOOL -> leaf ? pick("b", "c", pick("true", "false")) : boolNode(depth + 1);
      case STRING -> leaf ? pick("s", "t", pick(STRING_LITERALS)) : stringNode(depth + 1);
    };
  }

  private String intNode(int depth) {
    String a = of(ValueType.INT64, depth);
    String b = of(ValueType.INT64, depth);
    return switch (random.nextInt(12)) {
      case 0 -> "(" + a + " + " + b + ")";
      case 1 -> "(" + a + " - " + b + ")";
      case 2 -> "(" + a + " * " + b + ")";
      case 3 -> "(" + a + " / " + b + ")";
      case 4 -> "(" + a + " % " + b + ")";
      case 5 -> "-(" + a + ")";
      case 6 -> "int(" + of(ValueType.FLOAT64, depth) + ")";
      case 7 -> conditional(ValueType.INT64, depth);
      case 8 -> "abs(" + a + ")";
      case 9 -> "min(" + a + ", " + b + ")";
      case 10 -> "max(" + a + ", " + b + ")";
      default -> "clamp(" + a + ", " + b + ", " + of(ValueType.INT64, depth) + ")";
    };
  }

  private String doubleNode(int depth) {
    String a = of(ValueType.FLOAT64, depth);
    String b = of(ValueType.FLOAT64, depth);
    return switch (random.nextInt(14)) {
      case 0 -> "(" + a + " + " + b + ")";
      case 1 -> "(" + a + " - " + b + ")";
      case 2 -> "(" + a + " * " + b + ")";
      case 3 -> "(" + a + " / " + b + ")";
      case 4 -> "-(" + a + ")";
      case 5 -> "double(" + of(ValueType.INT64, depth) + ")";
      case 6 -> conditional(ValueType.FLOAT64, depth);
      case 7 -> pick("log", "log1p", pick("exp", "sqrt")) + "(" + a + ")";
      case 8 -> pick("log", "log1p", pick("exp", "sqrt")) + "(" + of(ValueType.INT64, depth) + ")";
      case 9 -> "abs(" + a + ")";
      case 10 -> "min(" + a + ", " + b + ")";
      case 11 -> "max(" + a + ", " + b + ")";
      case 12 -> "clamp(" + a + ", " + b + ", " + of(ValueType.FLOAT64, depth) + ")";
      default -> a;
    };
  }

  private String boolNode(int depth) {
    ValueType compared = ValueType.values()[random.nextInt(ValueType.values().length)];
    String a = of(compared, depth);
    String b = of(compared, depth);
    return switch (random.nextInt(8)) {
      case 0 -> "!(" + of(ValueType.BOOL, depth) + ")";
      case 1 -> "(" + of(ValueType.BOOL, depth) + " && " + of(ValueType.BOOL, depth) + ")";
      case 2 -> "(" + of(ValueType.BOOL, depth) + " || " + of(ValueType.BOOL, depth) + ")";
      case 3 -> conditional(ValueType.BOOL, depth);
      case 4 -> "(" + a + pick(" == ", " != ") + b + ")";
      case 5 ->
          compared == ValueType.BOOL
              ? "(" + a + " == " + b + ")"
              : "(" + a + pick(" < ", " <= ", pick(" > ", " >= ")) + b + ")";
      default ->
          "("
              + a
              + " in ["
              + b
              + ", "
              + of(compared, depth)
              + ", "
              + of(compared, MAX_DEPTH)
              + "])";
    };
  }

  private String stringNode(int depth) {
    return random.nextBoolean()
        ? "(" + of(ValueType.STRING, depth) + " + " + of(ValueType.STRING, depth) + ")"
        : conditional(ValueType.STRING, depth);
  }

  private String conditional(ValueType type, int depth) {
    return "("
        + of(ValueType.BOOL, depth)
        + " ? "
        + of(type, depth)
        + " : "
        + of(type, depth)
        + ")";
  }

  private String pick(String... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
