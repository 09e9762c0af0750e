package io.freshet.registry;

import java.util.List;
import java.util.Map;

/**
 * A named, deterministic function of declared inputs. Either {@code expression} (CEL) is set and
 * {@code kind} is null, or {@code kind} names a fitted transformation whose {@code options} (such
 * as {@code strategy} or {@code buckets}) come from the schema file and whose parameters come from
 * a training snapshot. {@code outputType} is checked at load.
 */
public record TransformationDef(
    String name,
    List<FeatureRef> inputs,
    String expression,
    String kind,
    Map<String, Object> options,
    ValueType outputType,
    String description) {

  public TransformationDef {
    inputs = List.copyOf(inputs);
    options = Map.copyOf(options);
  }

  public boolean fitted() {
    return kind != null;
  }
}
