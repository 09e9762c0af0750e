package io.freshet.selection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.freshet.registry.Registry;
import io.freshet.registry.TransformationCatalog;
import java.util.List;

/**
 * Resolved selections by service name and by feature list. The schemas never change under a running
 * process, but a fit adds a transformation version that unpinned names must move to, so resolutions
 * are keyed by the catalog's generation too, and those of an older one age out. Serving traffic
 * asks for a handful of distinct selections, and the bound keeps arbitrary client lists from
 * growing it.
 */
public final class SelectionCache {

  private static final int MAX_SELECTIONS = 10_000;

  private final Registry registry;
  private final TransformationCatalog catalog;
  private final Cache<Object, FeatureSelection> selections =
      Caffeine.newBuilder().maximumSize(MAX_SELECTIONS).executor(Runnable::run).build();

  public SelectionCache(Registry registry, TransformationCatalog catalog) {
    this.registry = registry;
    this.catalog = catalog;
  }

  public FeatureSelection ofService(String name) {
    return selections.get(
        List.of(catalog.generation(), name),
        n -> FeatureSelection.ofService(registry, catalog, name));
  }

  public FeatureSelection ofNames(List<String> names) {
    return selections.get(
        List.of(catalog.generation(), List.copyOf(names)),
        n -> FeatureSelection.ofNames(registry, catalog, names));
  }
}
