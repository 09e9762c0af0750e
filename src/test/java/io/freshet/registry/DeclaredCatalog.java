package io.freshet.registry;

import java.util.ArrayList;
import java.util.List;

/** A catalog whose every declared transformation is stored as version 1, without Postgres. */
public final class DeclaredCatalog {

  private DeclaredCatalog() {}

  public static TransformationCatalog of(SchemaSet schemas) {
    TransformationCatalog catalog = new TransformationCatalog(schemas);
    List<StoredDefinition> stored = new ArrayList<>();
    for (TransformationDef t : schemas.transformations()) {
      stored.add(new StoredDefinition(t.name(), 1, RegistryJson.transformation(t)));
    }
    catalog.update(stored);
    return catalog;
  }
}
