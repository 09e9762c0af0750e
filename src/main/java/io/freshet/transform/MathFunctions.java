package io.freshet.transform;

import dev.cel.bundle.CelBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import io.freshet.transform.Nodes.DoubleNode;
import io.freshet.transform.Nodes.IntNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The math a feature engineer reaches for, as plain CEL functions: {@code log}, {@code log1p},
 * {@code exp}, {@code sqrt} (double in, double out; an int argument is converted), {@code abs},
 * {@code min}, {@code max} and {@code clamp(x, lo, hi)} (int or double, all arguments alike). CEL
 * never mixes int and double implicitly, so each has one overload per type and the checker refuses
 * anything else at schema load. A result that is not finite (log of 0) is refused where the result
 * is checked, like any other expression's.
 */
final class MathFunctions {

  private static final CelType INT = SimpleType.INT;
  private static final CelType DOUBLE = SimpleType.DOUBLE;

  private MathFunctions() {}

  static void addTo(CelBuilder builder) {
    List<CelFunctionDecl> declarations = new ArrayList<>();
    List<CelFunctionBinding> bindings = new ArrayList<>();
    for (Unary function : Unary.values()) {
      unary(function, declarations, bindings);
    }
    declarations.add(
        CelFunctionDecl.newFunctionDeclaration(
            "abs",
            CelOverloadDecl.newGlobalOverload("freshet_abs_int", INT, INT),
            CelOverloadDecl.newGlobalOverload("freshet_abs_double", DOUBLE, DOUBLE)));
    bindings.add(CelFunctionBinding.from("freshet_abs_int", Long.class, Math::absExact));
    bindings.add(CelFunctionBinding.from("freshet_abs_double", Double.class, x -> Math.abs(x)));
    binary("min", Math::min, Math::min, declarations, bindings);
    binary("max", Math::max, Math::max, declarations, bindings);
    declarations.add(
        CelFunctionDecl.newFunctionDeclaration(
            "clamp",
            CelOverloadDecl.newGlobalOverload("freshet_clamp_int", INT, INT, INT, INT),
            CelOverloadDecl.newGlobalOverload(
                "freshet_clamp_double", DOUBLE, DOUBLE, DOUBLE, DOUBLE)));
    bindings.add(
        CelFunctionBinding.from(
            "freshet_clamp_int",
            Collections.nCopies(3, Long.class),
            args -> clamp((Long) args[0], (Long) args[1], (Long) args[2])));
    bindings.add(
        CelFunctionBinding.from(
            "freshet_clamp_double",
            Collections.nCopies(3, Double.class),
            args -> clamp((Double) args[0], (Double) args[1], (Double) args[2])));
    builder.addFunctionDeclarations(declarations).addFunctionBindings(bindings);
  }

  /** The double functions, shared with {@link ExpressionCompiler} so both compute alike. */
  enum Unary {
    LOG("log", Math::log),
    LOG1P("log1p", Math::log1p),
    EXP("exp", Math::exp),
    SQRT("sqrt", Math::sqrt);

    private final String celName;
    private final DoubleUnaryOperator function;

    Unary(String celName, DoubleUnaryOperator function) {
      this.celName = celName;
      this.function = function;
    }

    double apply(double x) {
      return function.applyAsDouble(x);
    }

    DoubleNode of(DoubleNode x) {
      return row -> function.applyAsDouble(x.eval(row));
    }

    DoubleNode of(IntNode x) {
      return row -> function.applyAsDouble(x.eval(row));
    }

    String overloadOfDouble() {
      return "freshet_" + celName + "_double";
    }

    String overloadOfInt() {
      return "freshet_" + celName + "_int";
    }
  }

  private static void unary(
      Unary function, List<CelFunctionDecl> declarations, List<CelFunctionBinding> bindings) {
    declarations.add(
        CelFunctionDecl.newFunctionDeclaration(
            function.celName,
            CelOverloadDecl.newGlobalOverload(function.overloadOfDouble(), DOUBLE, DOUBLE),
            CelOverloadDecl.newGlobalOverload(function.overloadOfInt(), DOUBLE, INT)));
    bindings.add(
        CelFunctionBinding.from(function.overloadOfDouble(), Double.class, x -> function.apply(x)));
    bindings.add(
        CelFunctionBinding.from(
            function.overloadOfInt(), Long.class, x -> function.apply(x.doubleValue())));
  }

  private static void binary(
      String name,
      BinaryOperator<Long> ints,
      BinaryOperator<Double> doubles,
      List<CelFunctionDecl> declarations,
      List<CelFunctionBinding> bindings) {
    declarations.add(
        CelFunctionDecl.newFunctionDeclaration(
            name,
            CelOverloadDecl.newGlobalOverload("freshet_" + name + "_int", INT, INT, INT),
            CelOverloadDecl.newGlobalOverload(
                "freshet_" + name + "_double", DOUBLE, DOUBLE, DOUBLE)));
    bindings.add(
        CelFunctionBinding.from("freshet_" + name + "_int", Long.class, Long.class, ints::apply));
    bindings.add(
        CelFunctionBinding.from(
            "freshet_" + name + "_double", Double.class, Double.class, doubles::apply));
  }

  // The same functions over compiled nodes, for ExpressionCompiler.

  static IntNode abs(IntNode x) {
    return row -> Math.absExact(x.eval(row));
  }

  static DoubleNode abs(DoubleNode x) {
    return row -> Math.abs(x.eval(row));
  }

  static IntNode min(IntNode a, IntNode b) {
    return row -> Math.min(a.eval(row), b.eval(row));
  }

  static DoubleNode min(DoubleNode a, DoubleNode b) {
    return row -> Math.min(a.eval(row), b.eval(row));
  }

  static IntNode max(IntNode a, IntNode b) {
    return row -> Math.max(a.eval(row), b.eval(row));
  }

  static DoubleNode max(DoubleNode a, DoubleNode b) {
    return row -> Math.max(a.eval(row), b.eval(row));
  }

  static IntNode clamp(IntNode x, IntNode lo, IntNode hi) {
    return row -> clamp(x.eval(row), lo.eval(row), hi.eval(row));
  }

  static DoubleNode clamp(DoubleNode x, DoubleNode lo, DoubleNode hi) {
    return row -> clamp(x.eval(row), lo.eval(row), hi.eval(row));
  }

  /** Bounds in either order clamp alike, so a swapped pair is not a silent pass-through. */
  private static long clamp(long x, long lo, long hi) {
    return Math.max(Math.min(lo, hi), Math.min(Math.max(lo, hi), x));
  }

  private static double clamp(double x, double lo, double hi) {
    return Math.max(Math.min(lo, hi), Math.min(Math.max(lo, hi), x));
  }
}
