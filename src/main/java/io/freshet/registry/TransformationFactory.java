package io.freshet.registry;

import io.freshet.model.ValueType;
import io.freshet.transform.ExpressionException;
import io.freshet.transform.FittedFunctions;
import io.freshet.transform.Transformation;
import io.freshet.transform.Transformations;
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
          function = Transformations.expression(declaration.getString("expression"), types, output);
          break;
        case "java":
          function =
              Transformations.custom(
                  declaration.getString("java"),
                  declaration.getString("java_version"),
                  new ArrayList<>(types.values()),
                  output);
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
}
