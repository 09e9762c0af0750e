package io.freshet.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running set of definitions with the versions the registry assigned them. Immutable: a new
 * schema set makes a new registry, so readers never see a half-applied change.
 */
public final class Registry {

  private final SchemaSet schemas;
  private final Map<String, EntityDef> entitiesByJoinKey = new LinkedHashMap<>();
  private final Map<String, FeatureView> views = new LinkedHashMap<>();
  private final Map<String, TransformationDef> transformations = new LinkedHashMap<>();
  private final Map<String, FeatureServiceDef> services = new LinkedHashMap<>();
  private final Map<RegistryKey, Integer> versions;

  public Registry(SchemaSet schemas, Map<RegistryKey, Integer> versions) {
    this.schemas = schemas;
    this.versions = Map.copyOf(versions);
    schemas.entities().forEach(e -> entitiesByJoinKey.put(e.joinKey(), e));
    schemas.views().forEach(v -> views.put(v.name(), v));
    schemas.transformations().forEach(t -> transformations.put(t.name(), t));
    schemas.services().forEach(s -> services.put(s.name(), s));
  }

  public SchemaSet schemas() {
    return schemas;
  }

  public List<FeatureView> views() {
    return schemas.views();
  }

  public Optional<FeatureView> view(String name) {
    return Optional.ofNullable(views.get(name));
  }

  public Optional<TransformationDef> transformation(String name) {
    return Optional.ofNullable(transformations.get(name));
  }

  public Optional<FeatureServiceDef> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  public Optional<EntityDef> entityByJoinKey(String joinKey) {
    return Optional.ofNullable(entitiesByJoinKey.get(joinKey));
  }

  /** The version the registry assigned; 0 for a name it does not know. */
  public int version(RegistryKey.Kind kind, String name) {
    return versions.getOrDefault(new RegistryKey(kind, name), 0);
  }
}
