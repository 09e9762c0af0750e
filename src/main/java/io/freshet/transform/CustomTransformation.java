package io.freshet.transform;

import io.freshet.model.ValueType;
import java.util.List;

/**
 * The service-provider interface for transformations whose logic is not an expression. A jar on the
 * class path lists its implementations in {@code
 * META-INF/services/io.freshet.transform.CustomTransformation}; a schema uses one with {@code java:
 * NAME}, and the registry versions it like any other transformation. Online reads and snapshots
 * call it through the same engine, so it must be deterministic: the same inputs give the same
 * output, with no I/O, clock or randomness.
 */
public interface CustomTransformation {

  /** The name schemas refer to; unique among the providers on the class path. */
  String name();

  /**
   * The implementation's version. It is part of the registered definition, so releasing new logic
   * under a new version string makes a new registry version, and a snapshot pinned to the old one
   * is refused rather than silently recomputed with the new code.
   */
  String version();

  /**
   * The output type for these input types, checked when schemas load.
   *
   * @throws IllegalArgumentException to refuse the inputs; the message is shown with file and line
   */
  ValueType outputType(List<ValueType> inputTypes);

  /**
   * The output for one row's non-null inputs, in declaration order: {@link Long}, {@link Double},
   * {@link Boolean} or {@link String} as the types say; null for no value.
   */
  Object apply(Object[] inputs);
}
