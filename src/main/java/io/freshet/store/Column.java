package io.freshet.store;

import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.TransformationDef;
import io.freshet.transform.CompiledExpression;
import java.util.List;

/** One requested output column: a raw feature or a transformation of raw features. */
public sealed interface Column permits Column.Raw, Column.Transformed {

  String name();

  /**
   * A stored feature of a view, named {@code view:feature}. Hashed by that name alone, which
   * identifies it: the derived hash would walk the whole view definition (every feature and its
   * description) on each lookup of an online read's per-row cell map, and did cost half of a
   * 100-entity, 50-feature read's CPU.
   */
  record Raw(String name, FeatureView view, FeatureDef feature) implements Column {
    @Override
    public int hashCode() {
      return name.hashCode();
    }
  }

  /** A registered transformation applied to its inputs, named by the transformation. */
  record Transformed(
      String name,
      TransformationDef definition,
      int version,
      CompiledExpression expression,
      List<Raw> inputs)
      implements Column {}
}
