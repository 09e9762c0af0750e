package io.freshet.registry;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads and validates every schema file under a directory as one registry, or refuses it with every
 * problem found. Nothing is partially applied: a refused directory yields no {@link SchemaSet}.
 */
public final class SchemaLoader {

  private SchemaLoader() {}

  /**
   * Reads every {@code *.yaml} and {@code *.yml} file under {@code dir}, recursively and in path
   * order, and checks them together as src/site/markdown/schemas.md describes.
   *
   * @throws SchemaException listing each problem with its file (relative to the parent of {@code
   *     dir}) and 1-based line
   * @throws IOException if a file cannot be read
   */
  public static SchemaSet load(Path dir) throws SchemaException, IOException {
    Problems problems = new Problems();
    SchemaSources sources = SchemaSources.read(dir, problems);
    // Kinds are read in dependency order, each across all files, so that a reference may point
    // into any file.
    NameTable<EntityDef> entities = new NameTable<>("entity");
    NameTable<FeatureView> views = new NameTable<>("feature view");
    NameTable<TransformationDef> transformations = new NameTable<>("transformation");
    NameTable<FeatureServiceDef> services = new NameTable<>("feature service");
    sources.entities.forEach(entity -> EntityReader.read(entity, entities));
    sources.views.forEach(view -> ViewReader.read(view, entities, views));
    sources.transformations.forEach(t -> TransformationReader.read(t, views, transformations));
    sources.services.forEach(s -> ServiceReader.read(s, views, transformations, services));
    if (!problems.isEmpty()) {
      throw new SchemaException(problems.sorted());
    }
    return new SchemaSet(
        entities.values(), views.values(), transformations.values(), services.values());
  }
}
