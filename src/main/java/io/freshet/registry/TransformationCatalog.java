package io.freshet.registry;

import io.freshet.transform.ColumnStatistics;
import io.freshet.transform.FittedFunctions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every registered version of every transformation, built from the registry's stored definitions.
 * Online reads and snapshots resolve transformations here and only here, so a name and version mean
 * the same function on both paths. A fit adds a version at run time: the whole set is rebuilt and
 * swapped, and {@link #generation()} tells caches that resolutions made earlier are out of date.
 */
public final class TransformationCatalog {

  private final Map<String, FeatureView> views = new LinkedHashMap<>();
  private final Map<String, JsonObject> declared = new LinkedHashMap<>();
  private final Map<String, String> declaredText = new HashMap<>();
  private final Map<String, SortedSet<ColumnStatistics.Fraction>> tracked;
  private volatile Versions versions = new Versions(Map.of(), 0, 0);

  private record Versions(
      Map<String, NavigableMap<Integer, TransformationVersion>> byName,
      int stored,
      long generation) {}

  public TransformationCatalog(SchemaSet schemas) {
    schemas.views().forEach(v -> views.put(v.name(), v));
    for (TransformationDef t : schemas.transformations()) {
      declared.put(t.name(), RegistryJson.transformation(t));
      declaredText.put(t.name(), declared.get(t.name()).encode());
    }
    this.tracked = tracked(schemas.transformations());
  }

  /**
   * Rebuilds from every stored version. Versions are only ever added, so a list no longer than the
   * one already built (a read that raced a fit) changes nothing.
   */
  synchronized void update(List<StoredDefinition> stored) {
    if (stored.size() <= versions.stored()) {
      return;
    }
    Map<String, NavigableMap<Integer, TransformationVersion>> byName = new HashMap<>();
    for (StoredDefinition row : stored) {
      byName
          .computeIfAbsent(row.name(), n -> new TreeMap<>())
          .put(
              row.version(),
              TransformationFactory.build(row.name(), row.version(), row.definition(), views));
    }
    versions = new Versions(byName, stored.size(), versions.generation() + 1);
  }

  /**
   * Reads the stored versions and rebuilds if any was added. Building compiles expressions, so it
   * runs on a worker thread, never on the event loop that read the rows.
   */
  public Future<Void> refresh(Vertx vertx, SqlClient client) {
    return RegistryVersions.transformations(client)
        .compose(
            stored ->
                stored.size() <= versions.stored()
                    ? Future.succeededFuture()
                    : vertx.executeBlocking(
                        () -> {
                          update(stored);
                          return null;
                        }));
  }

  /** Changes whenever the set of versions does. */
  public long generation() {
    return versions.generation();
  }

  /**
   * The newest version of this process's declaration: after a fit, the fitted one. Empty for a name
   * the schemas do not declare.
   */
  public Optional<TransformationVersion> current(String name) {
    String declaration = declaredText.get(name);
    NavigableMap<Integer, TransformationVersion> all = versions.byName().get(name);
    if (declaration == null || all == null) {
      return Optional.empty();
    }
    for (TransformationVersion v : all.descendingMap().values()) {
      // Compared as text, as the registry does, so an int read back from JSON equals a long.
      if (v.declaration().encode().equals(declaration)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** This process's declaration of a name, which a fit extends into a new version. */
  public Optional<JsonObject> declaration(String name) {
    return Optional.ofNullable(declared.get(name)).map(JsonObject::copy);
  }

  /** A version by number, also of a transformation the schemas no longer declare. */
  public Optional<TransformationVersion> version(String name, int version) {
    return Optional.ofNullable(
        versions.byName().getOrDefault(name, Collections.emptyNavigableMap()).get(version));
  }

  /**
   * The features whose snapshot values a declared fitted transformation may be fitted from, with
   * the quantiles it will ask for.
   */
  public Map<String, SortedSet<ColumnStatistics.Fraction>> trackedInputs() {
    return tracked;
  }

  /** {@code GET /v1/registry}'s transformations: each declared one with all its versions. */
  public JsonArray toJson() {
    JsonArray out = new JsonArray();
    declared.forEach(
        (name, declaration) -> {
          Optional<TransformationVersion> current = current(name);
          JsonObject shown =
              new JsonObject()
                  .put("name", name)
                  .put("version", current.map(TransformationVersion::version).orElse(0));
          current.ifPresent(v -> shown.put("kind", v.kind()));
          declaration.forEach(e -> shown.put(e.getKey(), e.getValue()));
          current
              .filter(TransformationVersion::fittedKind)
              .ifPresent(v -> shown.put("fitted", v.fit() != null));
          JsonArray all = new JsonArray();
          versions
              .byName()
              .getOrDefault(name, Collections.emptyNavigableMap())
              .values()
              .forEach(v -> all.add(v.toJson()));
          out.add(shown.put("versions", all));
        });
    return out;
  }

  private static Map<String, SortedSet<ColumnStatistics.Fraction>> tracked(
      List<TransformationDef> transformations) {
    Map<String, SortedSet<ColumnStatistics.Fraction>> out = new HashMap<>();
    for (TransformationDef t : transformations) {
      if (t.fitted()) {
        for (FeatureRef input : t.inputs()) {
          out.computeIfAbsent(input.fullName(), n -> new TreeSet<>())
              .addAll(
                  FittedFunctions.quantiles(t.kind(), new JsonObject(new TreeMap<>(t.options()))));
        }
      }
    }
    return Map.copyOf(out);
  }
}
