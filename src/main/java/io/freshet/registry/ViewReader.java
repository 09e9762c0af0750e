package io.freshet.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code feature_views} items; entities must all be read first. */
final class ViewReader {

  private static final List<String> KEYS =
      List.of("name", "entity", "description", "ttl", "retention", "freshness", "features");
  private static final List<String> FRESHNESS_KEYS =
      List.of("fresh", "stale", "on_rotten", "description");

  private ViewReader() {}

  static void read(YamlMap view, NameTable<EntityDef> entities, NameTable<FeatureView> views) {
    view.allowOnly(KEYS);
    Optional<String> name = view.name("name");
    EntityDef entity = view.name("entity").flatMap(e -> entity(view, e, entities)).orElse(null);
    String description = view.text("description", false).orElse(null);
    long ttlMs = view.duration("ttl", true).orElse(0L);
    long retentionMs = view.duration("retention", false).orElse(0L);
    if (retentionMs > 0 && ttlMs > 0 && retentionMs < ttlMs) {
      view.problem(
          "retention",
          "retention ("
              + view.text("retention", false).orElse("")
              + ") is shorter than ttl ("
              + view.text("ttl", false).orElse("")
              + "): history a lookup may still use would be dropped");
    }
    FreshnessSla freshness =
        view.map("freshness", "freshness").map(ViewReader::freshness).orElse(FreshnessSla.DEFAULT);
    List<FeatureDef> features = features(view);
    name.ifPresent(
        n ->
            views.add(
                n,
                new FeatureView(n, entity, description, ttlMs, retentionMs, freshness, features),
                view));
  }

  private static Optional<EntityDef> entity(
      YamlMap view, String name, NameTable<EntityDef> entities) {
    Optional<EntityDef> entity = entities.get(name);
    if (entity.isEmpty()) {
      view.problem("entity", "entity '" + name + "' is not declared");
    }
    return entity;
  }

  private static FreshnessSla freshness(YamlMap sla) {
    sla.allowOnly(FRESHNESS_KEYS);
    Optional<Long> fresh = sla.duration("fresh", false);
    Optional<Long> stale = sla.duration("stale", false);
    OnRotten onRotten =
        sla.text("on_rotten", false).flatMap(text -> onRotten(sla, text)).orElse(OnRotten.SERVE);
    boolean freshOk = fresh.isPresent() || !sla.has("fresh");
    boolean staleOk = stale.isPresent() || !sla.has("stale");
    long freshMs = fresh.orElse(FreshnessSla.DEFAULT_FRESH_MS);
    long staleMs = stale.orElse(FreshnessSla.DEFAULT_STALE_MS);
    if (freshOk && staleOk && freshMs > staleMs) {
      sla.problem(
          sla.has("fresh") ? "fresh" : "stale",
          "fresh ("
              + shown(sla, "fresh", "1m")
              + ") is greater than stale ("
              + shown(sla, "stale", "5m")
              + ")");
    }
    return new FreshnessSla(freshMs, staleMs, onRotten);
  }

  private static String shown(YamlMap sla, String key, String defaultText) {
    return sla.text(key, false).orElse(defaultText + " by default");
  }

  private static Optional<OnRotten> onRotten(YamlMap sla, String text) {
    return sla.enumValue(
        "on_rotten", "on_rotten", text, OnRotten.class, java.util.EnumSet.allOf(OnRotten.class));
  }

  private static List<FeatureDef> features(YamlMap view) {
    List<FeatureDef> features = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlMap item : view.maps("features", "a feature", true)) {
      Optional<FeatureDef> feature = FeatureReader.read(item);
      if (feature.isPresent() && !names.add(feature.get().name())) {
        item.problem("name", "duplicate feature '" + feature.get().name() + "' in this view");
      } else {
        feature.ifPresent(features::add);
      }
    }
    return features;
  }
}
