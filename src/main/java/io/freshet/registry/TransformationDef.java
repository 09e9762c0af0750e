package io.freshet.registry;

import io.freshet.model.ValueType;
import java.util.List;
import java.util.Map;

/**
 * A named, deterministic function of declared inputs. Exactly one of three is set: {@code
 * expression} (CEL); {@code kind}, a fitted transformation whose {@code options} (such as {@code
 * strategy} or {@code buckets}) come from the schema file and whose parameters come from a training
 * snapshot; or {@code java}, a {@code CustomTransformation} provider's name, with the provider's
 * {@code javaVersion} as found at load. {@code outputType} is checked at load.
 */
public record TransformationDef(
    String name,
    List<FeatureRef> inputs,
    String expression,
    String kind,
    Map<String, Object> options,
    ValueType outputType,
    String java,
    String javaVersion,
    String description) {

  public TransformationDef {
    inputs = List.copyOf(inputs);
    options = Map.copyOf(options);
  }

  public boolean fitted() {
    return kind != null;
  }
}
