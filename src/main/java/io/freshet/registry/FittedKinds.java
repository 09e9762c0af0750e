package io.freshet.registry;

import io.freshet.model.ValueType;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fitted transformation kinds, their options and what inputs they take. Their parameters are
 * fitted from a training snapshot later; here only the declaration is checked.
 */
final class FittedKinds {

  static final List<String> OPTION_KEYS = List.of("strategy", "value", "buckets");
  private static final List<String> STRATEGIES = List.of("mean", "median", "constant");

  /** What a valid declaration yields; {@code outputType} is null when the input type is unknown. */
  record Fitted(Map<String, Object> options, ValueType outputType) {}

  private static final List<ValueType> NUMERIC = List.of(ValueType.INT64, ValueType.FLOAT64);

  private enum Kind {
    STANDARDIZE(List.of(), NUMERIC, ValueType.FLOAT64),
    MIN_MAX(List.of(), NUMERIC, ValueType.FLOAT64),
    IMPUTE(List.of("strategy", "value"), List.of(ValueType.values()), null),
    BUCKETIZE(List.of("buckets"), NUMERIC, ValueType.INT64),
    CATEGORY_INDEX(List.of(), List.of(ValueType.STRING), ValueType.INT64);

    final List<String> options;
    final List<ValueType> inputs;

    /** Null when the output has the input's type. */
    final ValueType output;

    Kind(List<String> options, List<ValueType> inputs, ValueType output) {
      this.options = options;
      this.inputs = inputs;
      this.output = output;
    }

    String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private FittedKinds() {}

  /** Refuses fitted-only keys on an expression transformation. */
  static void refuseOptions(YamlMap transformation) {
    for (String key : OPTION_KEYS) {
      if (transformation.has(key)) {
        transformation.problem(key, "'" + key + "' applies only to a fitted kind");
      }
    }
  }

  /**
   * Checks a {@code kind} declaration whose inputs were resolved to {@code inputTypes} (a null
   * entry for an input already reported as unknown).
   */
  static Optional<Fitted> check(
      YamlMap transformation, String kindText, List<ValueType> inputTypes) {
    Optional<Kind> kind = parse(kindText);
    if (kind.isEmpty()) {
      transformation.problem(
          "kind",
          "unknown kind '"
              + kindText
              + "' (allowed: standardize, min_max, impute, bucketize, category_index)");
      return Optional.empty();
    }
    Kind k = kind.get();
    for (String key : OPTION_KEYS) {
      if (transformation.has(key) && !k.options.contains(key)) {
        transformation.problem(key, "'" + key + "' does not apply to kind " + k.yamlName());
      }
    }
    ValueType input = inputTypes.size() == 1 ? inputTypes.get(0) : null;
    if (inputTypes.size() != 1) {
      transformation.problem(
          "inputs", "kind " + k.yamlName() + " takes exactly one input, not " + inputTypes.size());
    } else if (input != null && !k.inputs.contains(input)) {
      transformation.problem(
          "inputs",
          "kind "
              + k.yamlName()
              + " needs an input of type "
              + typeNames(k.inputs)
              + ", not "
              + input.yamlName());
    }
    Map<String, Object> options = new HashMap<>();
    if (k == Kind.IMPUTE) {
      impute(transformation, input, options);
    } else if (k == Kind.BUCKETIZE) {
      transformation.integer("buckets", 2, 1000).ifPresent(b -> options.put("buckets", b));
      if (!transformation.has("buckets")) {
        transformation.problem("kind bucketize needs 'buckets' (2 to 1000)");
      }
    }
    return Optional.of(new Fitted(options, k.output == null ? input : k.output));
  }

  private static Optional<Kind> parse(String text) {
    for (Kind kind : Kind.values()) {
      if (kind.yamlName().equals(text)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  private static void impute(YamlMap transformation, ValueType input, Map<String, Object> options) {
    Optional<String> strategy = transformation.text("strategy", true);
    if (strategy.isEmpty()) {
      return;
    }
    String s = strategy.get();
    if (!STRATEGIES.contains(s)) {
      transformation.problem(
          "strategy", "unknown strategy '" + s + "' (allowed: mean, median, constant)");
      return;
    }
    options.put("strategy", s);
    if (!s.equals("constant")) {
      if (transformation.has("value")) {
        transformation.problem("value", "'value' applies only to strategy constant");
      }
      if (input != null && !NUMERIC.contains(input)) {
        transformation.problem(
            "strategy",
            "strategy " + s + " needs an input of type int64 or float64, not " + input.yamlName());
      }
      return;
    }
    if (!transformation.has("value")) {
      transformation.problem("strategy", "strategy constant needs a 'value'");
    } else if (input != null) {
      constant(transformation, input).ifPresent(value -> options.put("value", value));
    }
  }

  /** The constant as the input's Java type: Long, Double, Boolean or String. */
  private static Optional<Object> constant(YamlMap transformation, ValueType input) {
    switch (input) {
      case INT64:
        Optional<BigDecimal> whole = transformation.number("value");
        if (whole.isPresent() && whole.get().stripTrailingZeros().scale() > 0) {
          transformation.problem("value", "value must be a whole number for an int64 input");
          return Optional.empty();
        }
        try {
          return whole.map(BigDecimal::longValueExact);
        } catch (ArithmeticException e) {
          transformation.problem("value", "value is out of the int64 range");
          return Optional.empty();
        }
      case FLOAT64:
        return transformation.number("value").map(BigDecimal::doubleValue);
      case BOOL:
        return transformation.bool("value").map(Object.class::cast);
      default:
        return transformation.text("value", true).map(Object.class::cast);
    }
  }

  private static String typeNames(List<ValueType> types) {
    return types.stream().map(ValueType::yamlName).collect(Collectors.joining(" or "));
  }
}
