package io.freshet.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of each definition. It is both what {@code GET /v1/registry} shows and, without the
 * version, the canonical text whose change makes a new version, so the two cannot disagree.
 */
public final class RegistryJson {

  private RegistryJson() {}

  /** Every object with its canonical definition, in schema order. */
  public static Map<RegistryKey, JsonObject> definitions(SchemaSet set) {
    Map<RegistryKey, JsonObject> out = new LinkedHashMap<>();
    set.entities()
        .forEach(e -> out.put(new RegistryKey(RegistryKey.Kind.ENTITY, e.name()), entity(e)));
    set.views()
        .forEach(v -> out.put(new RegistryKey(RegistryKey.Kind.FEATURE_VIEW, v.name()), view(v)));
    set.transformations()
        .forEach(
            t ->
                out.put(
                    new RegistryKey(RegistryKey.Kind.TRANSFORMATION, t.name()), transformation(t)));
    set.services()
        .forEach(
            s -> out.put(new RegistryKey(RegistryKey.Kind.FEATURE_SERVICE, s.name()), service(s)));
    return out;
  }

  /**
   * The registry's listing; transformations come from the caller, which knows every version and
   * fit, not only the declarations.
   */
  public static JsonObject toJson(Registry registry, JsonArray transformations) {
    JsonObject out = new JsonObject();
    Map<RegistryKey.Kind, List<JsonObject>> byKind = new LinkedHashMap<>();
    for (RegistryKey.Kind kind : RegistryKey.Kind.values()) {
      byKind.put(kind, new ArrayList<>());
    }
    definitions(registry.schemas())
        .forEach(
            (key, definition) -> {
              JsonObject shown =
                  new JsonObject()
                      .put("name", key.name())
                      .put("version", registry.version(key.kind(), key.name()));
              definition.forEach(e -> shown.put(e.getKey(), e.getValue()));
              byKind.get(key.kind()).add(shown);
            });
    out.put("entities", new JsonArray(new ArrayList<>(byKind.get(RegistryKey.Kind.ENTITY))));
    out.put(
        "feature_views", new JsonArray(new ArrayList<>(byKind.get(RegistryKey.Kind.FEATURE_VIEW))));
    out.put("transformations", transformations);
    out.put(
        "feature_services",
        new JsonArray(new ArrayList<>(byKind.get(RegistryKey.Kind.FEATURE_SERVICE))));
    return out;
  }

  static JsonObject entity(EntityDef e) {
    return new JsonObject()
        .put("join_key", e.joinKey())
        .put("type", e.keyType().yamlName())
        .put("description", e.description());
  }

  static JsonObject view(FeatureView v) {
    JsonObject out =
        new JsonObject()
            .put("entity", v.entity().name())
            .put("description", v.description())
            .put("ttl_ms", v.ttlMs());
    // Only when declared: views declared before retention existed keep their definitions, and so
    // their versions. The kind likewise: a records view reads as it always did.
    if (v.retentionMs() > 0) {
      out.put("retention_ms", v.retentionMs());
    }
    out.put(
        "freshness",
        new JsonObject()
            .put("fresh_ms", v.freshness().freshMs())
            .put("stale_ms", v.freshness().staleMs())
            .put("on_rotten", v.freshness().onRotten().yamlName()));
    if (v.isEvents()) {
      JsonArray aggregations = new JsonArray();
      for (AggregationDef a : v.aggregations()) {
        aggregations.add(
            new JsonObject()
                .put("name", a.name())
                .put("function", a.function().yamlName())
                .put("of", a.of())
                .put("window_ms", a.windowMs())
                .put("type", a.resultType().yamlName())
                .put("nullable", a.nullable())
                .put("description", a.description()));
      }
      out.put("kind", v.kind().yamlName())
          .put("fields", columns(v.fields()))
          .put("aggregations", aggregations);
    }
    return out.put("features", columns(v.features()));
  }

  private static JsonArray columns(List<FeatureDef> columns) {
    JsonArray features = new JsonArray();
    for (FeatureDef f : columns) {
      JsonObject feature =
          new JsonObject()
              .put("name", f.name())
              .put("type", f.type().yamlName())
              .put("nullable", f.nullable());
      if (f.min() != null) {
        feature.put("min", f.min());
      }
      if (f.max() != null) {
        feature.put("max", f.max());
      }
      if (!f.allowedValues().isEmpty()) {
        feature.put("values", new JsonArray(new ArrayList<>(f.allowedValues())));
      }
      feature.put("description", f.description());
      features.add(feature);
    }
    return features;
  }

  /** The declaration as registered; a fitted version adds its {@code fit} to it. */
  public static JsonObject transformation(TransformationDef t) {
    JsonArray inputs = new JsonArray();
    t.inputs().forEach(i -> inputs.add(i.fullName()));
    JsonObject out = new JsonObject().put("inputs", inputs);
    if (t.fitted()) {
      out.put("kind", t.kind()).put("options", new JsonObject(new TreeMap<>(t.options())));
    } else if (t.java() != null) {
      out.put("java", t.java()).put("java_version", t.javaVersion());
    } else {
      out.put("expression", t.expression());
    }
    return out.put("output_type", t.outputType().yamlName()).put("description", t.description());
  }

  static JsonObject service(FeatureServiceDef s) {
    JsonArray features = new JsonArray();
    for (ServiceItem item : s.items()) {
      features.add(
          item.pinnedVersion() > 0
              ? item.columnName() + "@" + item.pinnedVersion()
              : item.columnName());
    }
    JsonObject out = new JsonObject().put("features", features).put("description", s.description());
    // Shown only when declared, so services that are not watched keep the versions they had.
    if (s.monitoring() != null) {
      MonitoringDef m = s.monitoring();
      out.put(
          "monitoring",
          new JsonObject()
              .put("sample", m.sample())
              .put("window_ms", m.windowMs())
              .put("min_samples", m.minSamples())
              .put(
                  "drift", new JsonObject().put("drifting", m.drifting()).put("broken", m.broken()))
              .put("skew_sample", m.skewSample()));
    }
    return out;
  }
}
