package io.freshet.transform;

import io.freshet.registry.FeatureRef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.TransformationDef;
import io.freshet.registry.ValueType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every expression transformation compiled once at start. The online path and the point-in-time
 * path both take their programs from here, so one definition yields one computation.
 */
public final class TransformationCatalog {

  private final Map<String, CompiledExpression> expressions;

  private TransformationCatalog(Map<String, CompiledExpression> expressions) {
    this.expressions = Map.copyOf(expressions);
  }

  public static TransformationCatalog compile(
      List<TransformationDef> definitions, Map<String, FeatureView> views)
      throws ExpressionException {
    Map<String, CompiledExpression> compiled = new HashMap<>();
    for (TransformationDef definition : definitions) {
      if (!definition.fitted()) {
        Map<String, ValueType> inputs = new LinkedHashMap<>();
        for (FeatureRef input : definition.inputs()) {
          ValueType type = views.get(input.view()).feature(input.feature()).orElseThrow().type();
          inputs.put(input.feature(), type);
        }
        compiled.put(
            definition.name(), CompiledExpression.compile(definition.expression(), inputs));
      }
    }
    return new TransformationCatalog(compiled);
  }

  public CompiledExpression expression(String name) {
    return expressions.get(name);
  }
}
