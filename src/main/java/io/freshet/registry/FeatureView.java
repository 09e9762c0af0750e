package io.freshet.registry;

import io.freshet.model.RecordShape;
import io.freshet.model.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A named group of typed features about one entity, written together by one pipeline. */
public record FeatureView(
    String name,
    EntityDef entity,
    String description,
    long ttlMs,
    FreshnessSla freshness,
    List<FeatureDef> features) {

  public FeatureView {
    features = List.copyOf(features);
  }

  public Optional<FeatureDef> feature(String featureName) {
    for (FeatureDef feature : features) {
      if (feature.name().equals(featureName)) {
        return Optional.of(feature);
      }
    }
    return Optional.empty();
  }

  /** The positions of this view's record values, one shape per distinct feature list. */
  public RecordShape shape() {
    List<String> names = new ArrayList<>(features.size());
    List<ValueType> types = new ArrayList<>(features.size());
    for (FeatureDef feature : features) {
      names.add(feature.name());
      types.add(feature.type());
    }
    return RecordShape.of(names, types);
  }

  public Map<String, FeatureDef> featuresByName() {
    Map<String, FeatureDef> byName = new LinkedHashMap<>();
    features.forEach(f -> byName.put(f.name(), f));
    return byName;
  }
}
