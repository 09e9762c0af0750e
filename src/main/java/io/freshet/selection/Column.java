package io.freshet.selection;

import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.TransformationVersion;
import java.util.List;

/** One requested output column: a raw feature or a transformation of raw features. */
public sealed interface Column permits Column.Raw, Column.Transformed {

  String name();

  /** A stored feature of a view, named {@code view:feature}. */
  record Raw(String name, FeatureView view, FeatureDef feature) implements Column {}

  /**
   * One version of a registered transformation applied to its inputs, named by the transformation.
   */
  record Transformed(String name, TransformationVersion version, List<Raw> inputs)
      implements Column {}
}
