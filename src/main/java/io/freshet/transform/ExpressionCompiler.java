package io.freshet.transform;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import io.freshet.transform.Nodes.BoolNode;
import io.freshet.transform.Nodes.DoubleNode;
import io.freshet.transform.Nodes.IntNode;
import io.freshet.transform.Nodes.StringNode;
import io.freshet.transform.Nodes.ValueNode;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Compiles a type-checked CEL expression into {@link Nodes} closures when it stays inside the
 * subset feature expressions are written in: int, double, bool and string inputs and literals;
 * {@code + - * / %} and unary minus; comparisons; {@code && || !}; {@code ?:}; {@code in} a list
 * literal; {@code int(double)} and {@code double(int)}; and the {@link MathFunctions}. Anything
 * else (macros, field selection, uint, bytes, string conversions, the {@code math.*} extension)
 * stays with the interpreter: {@link #compile} returns empty.
 *
 * <p>The closures compute what dev.cel's interpreter computes with {@code CelOptions.current()},
 * row for row, as {@code CompiledExpressionDifferentialTest} checks: int arithmetic fails on
 * overflow (and {@code MIN / -1} fails, while {@code MIN % -1} is 0), int division and modulo by
 * zero fail, {@code int(double)} fails from 2^63 in magnitude and on NaN, doubles follow IEEE 754,
 * and {@code &&} / {@code ||} absorb a failure on one side when the other side alone decides.
 */
final class ExpressionCompiler {

  private static final CelType INT = SimpleType.INT;
  private static final CelType DOUBLE = SimpleType.DOUBLE;
  private static final CelType BOOL = SimpleType.BOOL;
  private static final CelType STRING = SimpleType.STRING;

  /** Outside the subset; thrown wherever the walk meets it, caught once at the top. */
  private static final class Unsupported extends Exception {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  private final CelAbstractSyntaxTree ast;
  private final Map<String, Integer> positions;

  private ExpressionCompiler(CelAbstractSyntaxTree ast, Map<String, Integer> positions) {
    this.ast = ast;
    this.positions = positions;
  }

  /**
   * The compiled expression over inputs at {@code positions}, or empty when it is outside the
   * subset.
   */
  static Optional<ValueNode> compile(CelAbstractSyntaxTree ast, Map<String, Integer> positions) {
    try {
      return Optional.of(new ExpressionCompiler(ast, positions).root(ast.getExpr()));
    } catch (Unsupported e) {
      return Optional.empty();
    }
  }

  private ValueNode root(CelExpr e) throws Unsupported {
    CelType type = type(e);
    if (type.equals(INT)) {
      IntNode node = ints(e);
      return row -> node.eval(row);
    }
    if (type.equals(DOUBLE)) {
      DoubleNode node = doubles(e);
      return row -> node.eval(row);
    }
    if (type.equals(BOOL)) {
      BoolNode node = bools(e);
      return row -> node.eval(row);
    }
    if (type.equals(STRING)) {
      StringNode node = strings(e);
      return node::eval;
    }
    throw new Unsupported();
  }

  private IntNode ints(CelExpr e) throws Unsupported {
    require(e, INT);
    switch (e.getKind()) {
      case CONSTANT:
        long constant = constant(e, CelConstant.Kind.INT64_VALUE).int64Value();
        return row -> constant;
      case IDENT:
        int position = position(e);
        return row -> (Long) row[position];
      case CALL:
        break;
      default:
        throw new Unsupported();
    }
    List<CelExpr> args = e.call().args();
    switch (overload(e)) {
      case "add_int64":
        return Arithmetic.add(ints(arg(args, 0, 2)), ints(args.get(1)));
      case "subtract_int64":
        return Arithmetic.subtract(ints(arg(args, 0, 2)), ints(args.get(1)));
      case "multiply_int64":
        return Arithmetic.multiply(ints(arg(args, 0, 2)), ints(args.get(1)));
      case "divide_int64":
        return Arithmetic.divide(ints(arg(args, 0, 2)), ints(args.get(1)));
      case "modulo_int64":
        return Arithmetic.modulo(ints(arg(args, 0, 2)), ints(args.get(1)));
      case "negate_int64":
        return Arithmetic.negate(ints(arg(args, 0, 1)));
      case "double_to_int64":
        return Arithmetic.toInt(doubles(arg(args, 0, 1)));
      case "conditional":
        return Logic.choose(bools(arg(args, 0, 3)), ints(args.get(1)), ints(args.get(2)));
      case "freshet_abs_int":
        return MathFunctions.abs(ints(arg(args, 0, 1)));
      case "freshet_min_int":
        return MathFunctions.min(ints(arg(args, 0, 2)), ints(args.get(1)));
      case "freshet_max_int":
        return MathFunctions.max(ints(arg(args, 0, 2)), ints(args.get(1)));
      case "freshet_clamp_int":
        return MathFunctions.clamp(ints(arg(args, 0, 3)), ints(args.get(1)), ints(args.get(2)));
      default:
        throw new Unsupported();
    }
  }

  private DoubleNode doubles(CelExpr e) throws Unsupported {
    require(e, DOUBLE);
    switch (e.getKind()) {
      case CONSTANT:
        double constant = constant(e, CelConstant.Kind.DOUBLE_VALUE).doubleValue();
        return row -> constant;
      case IDENT:
        int position = position(e);
        return row -> (Double) row[position];
      case CALL:
        break;
      default:
        throw new Unsupported();
    }
    List<CelExpr> args = e.call().args();
    String overload = overload(e);
    switch (overload) {
      case "add_double":
        return Arithmetic.add(doubles(arg(args, 0, 2)), doubles(args.get(1)));
      case "subtract_double":
        return Arithmetic.subtract(doubles(arg(args, 0, 2)), doubles(args.get(1)));
      case "multiply_double":
        return Arithmetic.multiply(doubles(arg(args, 0, 2)), doubles(args.get(1)));
      case "divide_double":
        return Arithmetic.divide(doubles(arg(args, 0, 2)), doubles(args.get(1)));
      case "negate_double":
        return Arithmetic.negate(doubles(arg(args, 0, 1)));
      case "int64_to_double":
        return Arithmetic.toDouble(ints(arg(args, 0, 1)));
      case "conditional":
        return Logic.choose(bools(arg(args, 0, 3)), doubles(args.get(1)), doubles(args.get(2)));
      case "freshet_abs_double":
        return MathFunctions.abs(doubles(arg(args, 0, 1)));
      case "freshet_min_double":
        return MathFunctions.min(doubles(arg(args, 0, 2)), doubles(args.get(1)));
      case "freshet_max_double":
        return MathFunctions.max(doubles(arg(args, 0, 2)), doubles(args.get(1)));
      case "freshet_clamp_double":
        return MathFunctions.clamp(
            doubles(arg(args, 0, 3)), doubles(args.get(1)), doubles(args.get(2)));
      default:
        return unaryMath(overload, args);
    }
  }

  /** {@code log}, {@code log1p}, {@code exp} and {@code sqrt}, of a double or of an int. */
  private DoubleNode unaryMath(String overload, List<CelExpr> args) throws Unsupported {
    for (MathFunctions.Unary function : MathFunctions.Unary.values()) {
      if (overload.equals(function.overloadOfDouble())) {
        return function.of(doubles(arg(args, 0, 1)));
      }
      if (overload.equals(function.overloadOfInt())) {
        return function.of(ints(arg(args, 0, 1)));
      }
    }
    throw new Unsupported();
  }

  private StringNode strings(CelExpr e) throws Unsupported {
    require(e, STRING);
    switch (e.getKind()) {
      case CONSTANT:
        String constant = constant(e, CelConstant.Kind.STRING_VALUE).stringValue();
        return row -> constant;
      case IDENT:
        int position = position(e);
        return row -> (String) row[position];
      case CALL:
        break;
      default:
        throw new Unsupported();
    }
    List<CelExpr> args = e.call().args();
    switch (overload(e)) {
      case "add_string":
        StringNode a = strings(arg(args, 0, 2));
        StringNode b = strings(args.get(1));
        return row -> a.eval(row).concat(b.eval(row));
      case "conditional":
        return Logic.choose(bools(arg(args, 0, 3)), strings(args.get(1)), strings(args.get(2)));
      default:
        throw new Unsupported();
    }
  }

  private BoolNode bools(CelExpr e) throws Unsupported {
    require(e, BOOL);
    switch (e.getKind()) {
      case CONSTANT:
        boolean constant = constant(e, CelConstant.Kind.BOOLEAN_VALUE).booleanValue();
        return row -> constant;
      case IDENT:
        int position = position(e);
        return row -> (Boolean) row[position];
      case CALL:
        break;
      default:
        throw new Unsupported();
    }
    List<CelExpr> args = e.call().args();
    String overload = overload(e);
    switch (overload) {
      case "logical_not":
        BoolNode x = bools(arg(args, 0, 1));
        return row -> !x.eval(row);
      case "logical_and":
        return Logic.and(bools(arg(args, 0, 2)), bools(args.get(1)));
      case "logical_or":
        return Logic.or(bools(arg(args, 0, 2)), bools(args.get(1)));
      case "conditional":
        return Logic.choose(bools(arg(args, 0, 3)), bools(args.get(1)), bools(args.get(2)));
      case "equals":
        return equal(arg(args, 0, 2), args.get(1));
      case "not_equals":
        BoolNode equal = equal(arg(args, 0, 2), args.get(1));
        return row -> !equal.eval(row);
      case "in_list":
        CelExpr list = arg(args, 1, 2);
        if (list.getKind() != CelExpr.ExprKind.Kind.LIST
            || !list.list().optionalIndices().isEmpty()
            || list.list().elements().isEmpty()) {
          throw new Unsupported();
        }
        return contained(args.get(0), list.list().elements());
      default:
        return comparison(overload, args);
    }
  }

  /**
   * {@code ==}. The interpreter compares by reference before it compares values, so a double input
   * compared with itself is equal even when NaN: an expression where that can happen is left to it.
   */
  private BoolNode equal(CelExpr a, CelExpr b) throws Unsupported {
    if (!type(a).equals(DOUBLE)) {
      return contained(a, List.of(b));
    }
    if (!Collections.disjoint(aliases(a), aliases(b))) {
      throw new Unsupported();
    }
    DoubleNode x = doubles(a);
    DoubleNode y = doubles(b);
    return row -> x.eval(row) == y.eval(row);
  }

  /**
   * {@code in} a list literal, every element evaluated as the interpreter builds the whole list
   * first. For doubles the interpreter asks {@link List#contains} before it compares values, so NaN
   * is in a list that holds a NaN.
   */
  private BoolNode contained(CelExpr value, List<CelExpr> elements) throws Unsupported {
    CelType type = type(value);
    if (type.equals(INT)) {
      return Logic.anyEqual(ints(value), all(elements, this::ints, IntNode[]::new));
    }
    if (type.equals(DOUBLE)) {
      return Logic.anyEqual(doubles(value), all(elements, this::doubles, DoubleNode[]::new));
    }
    if (type.equals(BOOL)) {
      return Logic.anyEqual(bools(value), all(elements, this::bools, BoolNode[]::new));
    }
    if (type.equals(STRING)) {
      return Logic.anyEqual(strings(value), all(elements, this::strings, StringNode[]::new));
    }
    throw new Unsupported();
  }

  /** One way to compile an expression to nodes of one type. */
  @FunctionalInterface
  private interface Compile<N> {
    N of(CelExpr e) throws Unsupported;
  }

  private static <N> N[] all(List<CelExpr> exprs, Compile<N> compile, IntFunction<N[]> array)
      throws Unsupported {
    N[] nodes = array.apply(exprs.size());
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = compile.of(exprs.get(i));
    }
    return nodes;
  }

  /** The inputs whose very object {@code e} may evaluate to: itself, or either branch of a ?:. */
  private Set<String> aliases(CelExpr e) throws Unsupported {
    Set<String> names = new HashSet<>();
    if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
      names.add(name(e));
    } else if (e.getKind() == CelExpr.ExprKind.Kind.CALL && overload(e).equals("conditional")) {
      names.addAll(aliases(e.call().args().get(1)));
      names.addAll(aliases(e.call().args().get(2)));
    }
    return names;
  }

  /** {@code < <= > >=} of two ints, doubles or strings, named as {@code less_equals_double}. */
  private BoolNode comparison(String overload, List<CelExpr> args) throws Unsupported {
    int split = overload.lastIndexOf('_');
    if (split < 0) {
      throw new Unsupported();
    }
    Comparison operator =
        Comparison.named(overload.substring(0, split)).orElseThrow(Unsupported::new);
    CelExpr left = arg(args, 0, 2);
    CelExpr right = args.get(1);
    switch (overload.substring(split + 1)) {
      case "int64":
        return operator.of(ints(left), ints(right));
      case "double":
        return operator.of(doubles(left), doubles(right));
      case "string":
        return operator.of(strings(left), strings(right));
      default:
        throw new Unsupported();
    }
  }

  private void require(CelExpr e, CelType expected) throws Unsupported {
    if (!type(e).equals(expected)) {
      throw new Unsupported();
    }
  }

  private CelType type(CelExpr e) throws Unsupported {
    return ast.getType(e.id()).orElseThrow(Unsupported::new);
  }

  private String overload(CelExpr e) throws Unsupported {
    if (e.call().target().isPresent()) {
      throw new Unsupported();
    }
    List<String> overloads =
        ast.getReference(e.id()).<List<String>>map(CelReference::overloadIds).orElse(List.of());
    if (overloads.size() != 1) {
      throw new Unsupported();
    }
    return overloads.get(0);
  }

  private static CelExpr arg(List<CelExpr> args, int index, int arity) throws Unsupported {
    if (args.size() != arity) {
      throw new Unsupported();
    }
    return args.get(index);
  }

  private static CelConstant constant(CelExpr e, CelConstant.Kind kind) throws Unsupported {
    if (e.constant().getKind() != kind) {
      throw new Unsupported();
    }
    return e.constant();
  }

  private String name(CelExpr e) {
    return ast.getReference(e.id())
        .map(CelReference::name)
        .filter(name -> !name.isEmpty())
        .orElse(e.ident().name());
  }

  private int position(CelExpr e) throws Unsupported {
    Integer position = positions.get(name(e));
    if (position == null) {
      throw new Unsupported();
    }
    return position;
  }
}
