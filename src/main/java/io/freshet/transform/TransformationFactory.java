package io.freshet.transform;

import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureRef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.ValueType;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link TransformationVersion} from its stored definition, so an old version is computed
 * from what was registered then, not from today's schema. A version that can no longer be built
 * (its input was removed, its Java implementation changed) is kept with the reason, and refused
 * only when someone asks for it.
 */
final class TransformationFactory {

  private TransformationFactory() {}

  static TransformationVersion build(
      String name, int version, JsonObject stored, Map<String, FeatureView> views) {
    JsonObject declaration = stored.copy();
    JsonObject fit = (JsonObject) declaration.remove("fit");
    List<FeatureRef> inputs = new ArrayList<>();
    Map<String, ValueType> types = new LinkedHashMap<>();
    String missing = null;
    for (Object item : declaration.getJsonArray("inputs")) {
      FeatureRef ref = FeatureRef.parse((String) item).orElseThrow();
      inputs.add(ref);
      Optional<FeatureDef> feature =
          Optional.ofNullable(views.get(ref.view())).flatMap(v -> v.feature(ref.feature()));
      if (feature.isEmpty()) {
        missing = "its input " + ref + " is no longer defined";
      } else {
        types.put(ref.feature(), feature.get().type());
      }
    }
    ValueType output = ValueType.parse(declaration.getString("output_type")).orElseThrow();
    String kind =
        declaration.containsKey("expression")
            ? "expression"
            : declaration.containsKey("java") ? "java" : declaration.getString("kind");
    if (missing != null) {
      return new TransformationVersion(
          name, version, kind, inputs, output, declaration, fit, null, missing);
    }
    Transformation function = null;
    String problem = null;
    try {
      switch (kind) {
        case "expression":
          function = expression(declaration.getString("expression"), types, output);
          break;
        case "java":
          function = custom(declaration, new ArrayList<>(types.values()), output);
          break;
        default:
          if (fit == null) {
            problem = "kind " + kind + " has no fitted version yet";
          } else {
            function = FittedFunctions.function(kind, fit.getJsonObject("parameters"));
          }
      }
    } catch (ExpressionException e) {
      problem = e.getMessage();
    }
    return new TransformationVersion(
        name, version, kind, inputs, output, declaration, fit, function, problem);
  }

  private static Transformation expression(
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

  private static Transformation custom(
      JsonObject declaration, List<ValueType> types, ValueType output) throws ExpressionException {
    String java = declaration.getString("java");
    String registered = declaration.getString("java_version");
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
