package io.freshet.registry;

import io.freshet.model.ValueType;
import io.freshet.transform.CompiledExpression;
import io.freshet.transform.CustomTransformation;
import io.freshet.transform.CustomTransformations;
import io.freshet.transform.ExpressionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads {@code transformations} items; views must all be read first. */
final class TransformationReader {

  private static final List<String> KEYS = keys();

  private TransformationReader() {}

  static void read(
      YamlMap transformation,
      NameTable<FeatureView> views,
      NameTable<TransformationDef> transformations) {
    transformation.allowOnly(KEYS);
    Optional<String> name = transformation.name("name");
    Map<FeatureRef, ValueType> inputs = new LinkedHashMap<>();
    List<ValueType> listedTypes = resolveInputs(transformation, views, inputs);
    String description = transformation.text("description", false).orElse(null);
    int bodies =
        (transformation.has("expression") ? 1 : 0)
            + (transformation.has("kind") ? 1 : 0)
            + (transformation.has("java") ? 1 : 0);
    if (bodies != 1) {
      transformation.problem(
          bodies == 0 ? "name" : transformation.has("java") ? "java" : "kind",
          bodies == 0
              ? "a transformation needs an expression, a kind or a java implementation"
              : "a transformation has one of expression, kind and java, not several");
      return;
    }
    Optional<Body> body;
    if (transformation.has("expression")) {
      body = expressionBody(transformation, inputs, listedTypes);
    } else if (transformation.has("kind")) {
      body = fittedBody(transformation, listedTypes);
    } else {
      body = javaBody(transformation, listedTypes);
    }
    if (name.isPresent() && body.isPresent()) {
      Body b = body.get();
      TransformationDef definition =
          new TransformationDef(
              name.get(),
              new ArrayList<>(inputs.keySet()),
              b.expression(),
              b.kind(),
              b.options(),
              b.outputType(),
              b.java(),
              b.javaVersion(),
              description);
      transformations.add(name.get(), definition, transformation);
    }
  }

  /** What sets the three sorts of transformation apart. */
  private record Body(
      String expression,
      String kind,
      Map<String, Object> options,
      ValueType outputType,
      String java,
      String javaVersion) {}

  private static Optional<Body> expressionBody(
      YamlMap transformation, Map<FeatureRef, ValueType> inputs, List<ValueType> listedTypes) {
    FittedKinds.refuseOptions(transformation);
    Optional<String> expression = transformation.text("expression", true);
    if (expression.isEmpty()) {
      return Optional.empty();
    }
    // With an input already refused, a compile error would only repeat that problem.
    boolean typed = !listedTypes.isEmpty() && !listedTypes.contains(null);
    ValueType output =
        typed ? compile(transformation, expression.get(), inputs).orElse(null) : null;
    return Optional.of(new Body(expression.get(), null, Map.of(), output, null, null));
  }

  private static Optional<Body> fittedBody(YamlMap transformation, List<ValueType> listedTypes) {
    return transformation
        .text("kind", true)
        .flatMap(
            kind ->
                FittedKinds.check(transformation, kind, listedTypes)
                    .map(
                        fitted ->
                            new Body(
                                null, kind, fitted.options(), fitted.outputType(), null, null)));
  }

  private static Optional<Body> javaBody(YamlMap transformation, List<ValueType> listedTypes) {
    FittedKinds.refuseOptions(transformation);
    Optional<String> java = transformation.text("java", true);
    if (java.isEmpty()) {
      return Optional.empty();
    }
    Optional<CustomTransformation> provider = CustomTransformations.find(java.get());
    if (provider.isEmpty()) {
      transformation.problem(
          "java",
          "no CustomTransformation named '"
              + java.get()
              + "' is on the class path (listed in META-INF/services)");
      return Optional.empty();
    }
    ValueType output = null;
    if (!listedTypes.isEmpty() && !listedTypes.contains(null)) {
      try {
        output = provider.get().outputType(List.copyOf(listedTypes));
      } catch (IllegalArgumentException e) {
        transformation.problem(
            "inputs", "'" + java.get() + "' refuses its inputs: " + e.getMessage());
        return Optional.empty();
      }
    }
    return Optional.of(
        new Body(null, null, Map.of(), output, java.get(), provider.get().version()));
  }

  private static List<String> keys() {
    List<String> keys =
        new ArrayList<>(List.of("name", "description", "inputs", "expression", "kind", "java"));
    keys.addAll(FittedKinds.OPTION_KEYS);
    return List.copyOf(keys);
  }

  /**
   * Resolves each {@code view:feature} input into {@code inputs} and answers the type of every
   * listed item, in order, with null for one that is malformed, unknown, or of a refused type.
   */
  private static List<ValueType> resolveInputs(
      YamlMap transformation, NameTable<FeatureView> views, Map<FeatureRef, ValueType> inputs) {
    List<ValueType> listedTypes = new ArrayList<>();
    for (ScalarNode item : transformation.scalars("inputs", true)) {
      String text = item.getValue();
      Optional<FeatureRef> ref = FeatureRef.parse(text);
      Optional<FeatureDef> feature = Optional.empty();
      if (ref.isEmpty()) {
        transformation.problem(item, "input '" + text + "' is not of the form view:feature");
      } else if (inputs.containsKey(ref.get())) {
        transformation.problem(item, "input '" + text + "' is listed twice");
      } else {
        feature = feature(transformation, item, ref.get(), views);
        inputs.put(ref.get(), feature.map(FeatureDef::type).orElse(null));
      }
      listedTypes.add(feature.map(FeatureDef::type).orElse(null));
    }
    return listedTypes;
  }

  private static Optional<FeatureDef> feature(
      YamlMap transformation, ScalarNode item, FeatureRef ref, NameTable<FeatureView> views) {
    Optional<FeatureView> view = views.get(ref.view());
    if (view.isEmpty()) {
      transformation.problem(
          item, "input '" + ref + "' names an unknown feature view '" + ref.view() + "'");
      return Optional.empty();
    }
    Optional<FeatureDef> feature = view.get().feature(ref.feature());
    if (feature.isEmpty()) {
      transformation.problem(
          item,
          "input '"
              + ref
              + "' names an unknown feature '"
              + ref.feature()
              + "' of view '"
              + ref.view()
              + "'");
    }
    return feature;
  }

  /** Binds inputs by feature name, compiles, and answers the result type. */
  private static Optional<ValueType> compile(
      YamlMap transformation, String expression, Map<FeatureRef, ValueType> inputs) {
    Map<String, ValueType> variables = new LinkedHashMap<>();
    Map<String, FeatureRef> boundBy = new LinkedHashMap<>();
    for (Map.Entry<FeatureRef, ValueType> input : inputs.entrySet()) {
      FeatureRef ref = input.getKey();
      FeatureRef earlier = boundBy.putIfAbsent(ref.feature(), ref);
      if (earlier != null) {
        transformation.problem(
            "inputs",
            "inputs '"
                + earlier
                + "' and '"
                + ref
                + "' both bind the name '"
                + ref.feature()
                + "' in the expression");
        return Optional.empty();
      }
      variables.put(ref.feature(), input.getValue());
    }
    try {
      return Optional.of(CompiledExpression.compile(expression, variables).resultType());
    } catch (ExpressionException e) {
      transformation.problem("expression", "expression " + e.getMessage());
      return Optional.empty();
    }
  }
}
