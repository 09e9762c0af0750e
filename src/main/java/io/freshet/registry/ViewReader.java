package io.freshet.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code feature_views} items; entities must all be read first. */
final class ViewReader {

  private static final List<String> KEYS =
      List.of(
          "name",
          "entity",
          "description",
          "kind",
          "ttl",
          "retention",
          "freshness",
          "features",
          "fields",
          "aggregations");
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
    Optional<ViewKind> declared = view.text("kind", false).flatMap(text -> kind(view, text));
    if (view.has("kind") && declared.isEmpty()) {
      return;
    }
    ViewKind kind = declared.orElse(ViewKind.RECORDS);
    if (kind == ViewKind.EVENTS) {
      onlyIn(view, "features", "an event view has fields and aggregations, not features");
      List<FeatureDef> fields = features(view, "fields", "a field");
      List<AggregationDef> aggregations = AggregationReader.readAll(view, fields, ttlMs);
      name.ifPresent(
          n ->
              views.add(
                  n,
                  FeatureView.ofEvents(
                      n, entity, description, ttlMs, retentionMs, freshness, fields, aggregations),
                  view));
      return;
    }
    onlyIn(
        view,
        "fields",
        "fields belong to an event view (kind: events); a records view has features");
    onlyIn(
        view,
        "aggregations",
        "aggregations belong to an event view (kind: events); a records view has features");
    List<FeatureDef> features = features(view, "features", "a feature");
    name.ifPresent(
        n ->
            views.add(
                n,
                new FeatureView(n, entity, description, ttlMs, retentionMs, freshness, features),
                view));
  }

  private static void onlyIn(YamlMap view, String key, String reason) {
    if (view.has(key)) {
      view.problem(key, reason);
    }
  }

  private static Optional<ViewKind> kind(YamlMap view, String text) {
    return view.enumValue(
        "kind", "view kind", text, ViewKind.class, java.util.EnumSet.allOf(ViewKind.class));
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

  private static List<FeatureDef> features(YamlMap view, String key, String itemWhat) {
    List<FeatureDef> features = new ArrayList<>();
    Set<String> names = new HashSet<>();
    String noun = key.equals("fields") ? "field" : "feature";
    for (YamlMap item : view.maps(key, itemWhat, true)) {
      Optional<FeatureDef> feature = FeatureReader.read(item);
      if (feature.isPresent() && !names.add(feature.get().name())) {
        item.problem("name", "duplicate " + noun + " '" + feature.get().name() + "' in this view");
      } else {
        feature.ifPresent(features::add);
      }
    }
    return features;
  }
}
