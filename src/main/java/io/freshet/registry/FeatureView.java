package io.freshet.registry;

import io.freshet.model.RecordShape;
import io.freshet.model.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named group of typed features about one entity, written together by one pipeline. {@code
 * retentionMs} is how long its history is kept, 0 for ever.
 */
public record FeatureView(
    String name,
    EntityDef entity,
    String description,
    long ttlMs,
    long retentionMs,
    FreshnessSla freshness,
    List<FeatureDef> features) {

  public FeatureView {
    features = List.copyOf(features);
  }

  /** How long the view's history is kept, when the schema limits it. */
  public Optional<Duration> retention() {
    return retentionMs == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(retentionMs));
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
