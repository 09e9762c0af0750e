package io.freshet.store;

import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.TransformationDef;
import io.freshet.transform.CompiledExpression;
import java.util.List;

/** One requested output column: a raw feature or a transformation of raw features. */
public sealed interface Column permits Column.Raw, Column.Transformed {

  String name();

  /** A stored feature of a view, named {@code view:feature}. */
  record Raw(String name, FeatureView view, FeatureDef feature) implements Column {}

  /** A registered transformation applied to its inputs, named by the transformation. */
  record Transformed(
      String name,
      TransformationDef definition,
      int version,
      CompiledExpression expression,
      List<Raw> inputs)
      implements Column {}
}
