package io.freshet.transform;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.freshet.model.ValueType;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A CEL expression over named, typed inputs, parsed and type-checked once. Instances are immutable
 * and {@link #evaluate} is safe to call from any number of threads at once.
 *
 * <p>Inputs and results map int64 to {@link Long}, float64 to {@link Double}, bool to {@link
 * Boolean} and string to {@link String}. The {@code math.*} extension (ceil, floor, round,
 * greatest, least, ...) is available, and so are the plain {@link MathFunctions} (log, log1p, exp,
 * sqrt, abs, min, max, clamp).
 *
 * <p>An expression inside the subset that {@link ExpressionCompiler} knows (arithmetic,
 * comparisons, logic, conditionals, {@code in}, the plain math functions) runs as compiled
 * closures; any other runs through the CEL interpreter. Both give the same values and failures.
 */
public final class CompiledExpression implements Transformation {

  private static final CelOptions OPTIONS = CelOptions.current().build();

  /** Computes the raw result from non-null inputs of the declared Java types, by position. */
  @FunctionalInterface
  private interface Evaluator {
    Object evaluate(Object[] values) throws ExpressionException;
  }

  private final String expression;
  private final Map<String, ValueType> inputs;
  private final Class<?>[] inputClasses;
  private final ValueType resultType;
  private final CelRuntime.Program program;
  private final Map<String, Integer> positions;
  private final Optional<Nodes.ValueNode> compiled;
  private final Evaluator evaluator;

  private CompiledExpression(
      String expression,
      Map<String, ValueType> inputs,
      ValueType resultType,
      CelRuntime.Program program,
      Map<String, Integer> positions,
      Optional<Nodes.ValueNode> compiled) {
    this.expression = expression;
    this.inputs = inputs;
    this.inputClasses =
        inputs.values().stream().map(CompiledExpression::javaClass).toArray(Class<?>[]::new);
    this.resultType = resultType;
    this.program = program;
    this.positions = positions;
    this.compiled = compiled;
    // CompiledExpressionDifferentialTest holds the closures to the interpreter's results.
    this.evaluator =
        compiled.<Evaluator>map(node -> values -> run(node, values)).orElse(this::interpret);
  }

  /**
   * Parses and type-checks {@code expression} with one variable per input.
   *
   * @throws ExpressionException if it does not parse, does not type-check (including naming a
   *     variable that is not an input), or its result is not one of the four value types
   */
  public static CompiledExpression compile(String expression, Map<String, ValueType> inputs)
      throws ExpressionException {
    Cel cel = environment(inputs);
    CelValidationResult parsed = cel.parse(expression);
    if (parsed.hasError()) {
      throw new ExpressionException("does not parse: " + describe(parsed.getErrors()));
    }
    CelAbstractSyntaxTree ast;
    try {
      CelValidationResult checked = cel.check(parsed.getAst());
      if (checked.hasError()) {
        throw new ExpressionException("does not type-check: " + describe(checked.getErrors()));
      }
      ast = checked.getAst();
    } catch (CelValidationException e) {
      throw new ExpressionException("does not type-check: " + describe(e.getErrors()), e);
    }
    ValueType resultType = valueType(ast.getResultType());
    Map<String, Integer> positions = new HashMap<>();
    inputs.keySet().forEach(name -> positions.put(name, positions.size()));
    try {
      return new CompiledExpression(
          expression,
          Collections.unmodifiableMap(new LinkedHashMap<>(inputs)),
          resultType,
          cel.createProgram(ast),
          positions,
          ExpressionCompiler.compile(ast, positions));
    } catch (CelEvaluationException e) {
      throw new ExpressionException("cannot be planned: " + e.getMessage(), e);
    }
  }

  public String expression() {
    return expression;
  }

  /** The declared inputs, in declaration order. */
  public Map<String, ValueType> inputs() {
    return inputs;
  }

  public ValueType resultType() {
    return resultType;
  }

  /**
   * Evaluates against one row. Keys that are not inputs are ignored. A null input yields null
   * without evaluating: a MISSING or nullified feature makes the derived value missing too, which
   * is the same rule online and historical lookups apply.
   *
   * @throws ExpressionException if an input is absent or of the wrong Java type, or the evaluation
   *     fails (integer division by zero, overflow) or yields a double that is not finite
   */
  public Object evaluate(Map<String, ?> values) throws ExpressionException {
    Object[] positional = new Object[inputs.size()];
    int i = 0;
    for (String name : inputs.keySet()) {
      if (!values.containsKey(name)) {
        throw new ExpressionException(
            "expression '" + expression + "': input '" + name + "' is absent");
      }
      positional[i++] = values.get(name);
    }
    return apply(positional);
  }

  /** Evaluates against input values given in declaration order; see {@link #evaluate}. */
  @Override
  public Object apply(Object[] values) throws ExpressionException {
    for (int i = 0; i < inputClasses.length; i++) {
      Object value = values[i];
      if (value == null) {
        return null;
      }
      if (!inputClasses[i].isInstance(value)) {
        throw new ExpressionException(
            "expression '"
                + expression
                + "': input '"
                + List.copyOf(inputs.keySet()).get(i)
                + "' must be a "
                + inputClasses[i].getSimpleName()
                + ", got a "
                + value.getClass().getSimpleName());
      }
    }
    return checkResult(evaluator.evaluate(values));
  }

  /** Whether the expression runs as compiled closures rather than through the interpreter. */
  boolean isCompiled() {
    return compiled.isPresent();
  }

  /** The same expression always run by the interpreter, which the compiled one must match. */
  CompiledExpression interpreted() {
    return new CompiledExpression(
        expression, inputs, resultType, program, positions, Optional.empty());
  }

  private Object run(Nodes.ValueNode node, Object[] values) throws ExpressionException {
    try {
      return node.eval(values);
    } catch (ArithmeticException e) {
      throw new ExpressionException("expression '" + expression + "' failed: " + e.getMessage(), e);
    }
  }

  private Object interpret(Object[] values) throws ExpressionException {
    try {
      // Resolved by position: no map is built per row on the serving path.
      return program.eval(
          name -> {
            Integer position = positions.get(name);
            return position == null ? Optional.empty() : Optional.of(values[position]);
          });
    } catch (CelEvaluationException e) {
      throw new ExpressionException("expression '" + expression + "' failed: " + e.getMessage(), e);
    }
  }

  private Object checkResult(Object result) throws ExpressionException {
    if (!javaClass(resultType).isInstance(result)) {
      throw new ExpressionException(
          "expression '"
              + expression
              + "' did not yield a "
              + resultType.yamlName()
              + ": "
              + result);
    }
    // JSON and the tiers cannot carry NaN or infinities, and a guard the author forgot (x / 0.0)
    // must surface rather than turn into a value nobody can store.
    if (result instanceof Double && !Double.isFinite((Double) result)) {
      throw new ExpressionException(
          "expression '" + expression + "' yielded " + result + ", not a finite number");
    }
    return result;
  }

  private static Cel environment(Map<String, ValueType> inputs) {
    CelBuilder builder =
        CelFactory.standardCelBuilder()
            .setOptions(OPTIONS)
            .addCompilerLibraries(CelExtensions.math(OPTIONS))
            .addRuntimeLibraries(CelExtensions.math(OPTIONS));
    MathFunctions.addTo(builder);
    inputs.forEach((name, type) -> builder.addVar(name, celType(type)));
    return builder.build();
  }

  private static CelType celType(ValueType type) {
    return switch (type) {
      case INT64 -> SimpleType.INT;
      case FLOAT64 -> SimpleType.DOUBLE;
      case BOOL -> SimpleType.BOOL;
      case STRING -> SimpleType.STRING;
    };
  }

  private static ValueType valueType(CelType type) throws ExpressionException {
    for (ValueType candidate : ValueType.values()) {
      if (celType(candidate).equals(type)) {
        return candidate;
      }
    }
    throw new ExpressionException(
        "yields " + type.name() + "; an expression must yield int, double, bool or string");
  }

  private static Class<?> javaClass(ValueType type) {
    return switch (type) {
      case INT64 -> Long.class;
      case FLOAT64 -> Double.class;
      case BOOL -> Boolean.class;
      case STRING -> String.class;
    };
  }

  private static String describe(List<CelIssue> issues) {
    return issues.stream().map(CompiledExpression::describe).collect(Collectors.joining("; "));
  }

  private static String describe(CelIssue issue) {
    String message = issue.getMessage();
    // The checker reports a name that is not an input as an undeclared reference; say it in the
    // schema's words, and drop the overload candidate lists, which run to a dozen signatures.
    String undeclared = "undeclared reference to '";
    int nameEnd = message.indexOf('\'', undeclared.length());
    if (message.startsWith(undeclared) && nameEnd > 0) {
      message =
          "names '" + message.substring(undeclared.length(), nameEnd) + "', which is not an input";
    }
    int candidates = message.indexOf(" (candidates:");
    if (candidates > 0) {
      message = message.substring(0, candidates);
    }
    return message + where(issue.getSourceLocation());
  }

  private static String where(CelSourceLocation at) {
    if (at.getColumn() < 0) {
      return "";
    }
    int column = at.getColumn() + 1;
    return at.getLine() > 1
        ? " (at line " + at.getLine() + ", column " + column + " of the expression)"
        : " (at column " + column + ")";
  }
}
