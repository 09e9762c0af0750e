package io.freshet.registry;

import java.util.List;

/** Everything the schema files declare, validated together, in file order. */
public record SchemaSet(
    List<EntityDef> entities,
    List<FeatureView> views,
    List<TransformationDef> transformations,
    List<FeatureServiceDef> services) {

  public SchemaSet {
    entities = List.copyOf(entities);
    views = List.copyOf(views);
    transformations = List.copyOf(transformations);
    services = List.copyOf(services);
  }
}
