package io.freshet.transform;

import io.freshet.model.ValueType;
import java.util.List;
import java.util.Map;

/**
 * Builds the function of a registered transformation from what was stored for it, so an old version
 * is computed from what was registered then. Fitted kinds are built by {@link FittedFunctions} from
 * their parameters.
 */
public final class Transformations {

  private Transformations() {}

  /**
   * A registered expression compiled over today's input types; refused when it no longer yields the
   * type it was registered with.
   */
  public static Transformation expression(
      String expression, Map<String, ValueType> types, ValueType output)
      throws ExpressionException {
    CompiledExpression compiled = CompiledExpression.compile(expression, types);
    if (compiled.resultType() != output) {
      throw new ExpressionException(
          "it yielded "
              + output.yamlName()
              + " when registered and yields "
              + compiled.resultType().yamlName()
              + " over today's input types");
    }
    return compiled;
  }

  /**
   * The custom implementation registered as {@code java} at version {@code registered}, held to its
   * declared output type; refused when it is gone, changed version or refuses its inputs.
   */
  public static Transformation custom(
      String java, String registered, List<ValueType> types, ValueType output)
      throws ExpressionException {
    CustomTransformation provider =
        CustomTransformations.find(java)
            .orElseThrow(
                () -> new ExpressionException("its Java implementation '" + java + "' is gone"));
    if (!provider.version().equals(registered)) {
      throw new ExpressionException(
          "it was registered with '"
              + java
              + "' version "
              + registered
              + " and version "
              + provider.version()
              + " is running");
    }
    try {
      if (provider.outputType(types) != output) {
        throw new ExpressionException("'" + java + "' no longer yields " + output.yamlName());
      }
    } catch (IllegalArgumentException e) {
      throw new ExpressionException("'" + java + "' refuses its inputs: " + e.getMessage());
    }
    return new CheckedCustom(provider, output);
  }
}
