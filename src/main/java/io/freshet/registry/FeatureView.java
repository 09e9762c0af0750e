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
 *
 * <p>A view of kind {@link ViewKind#EVENTS} keeps every row as an event with its {@code fields};
 * its {@code features} are its {@code aggregations} ({@link AggregationDef#asFeature()}), so
 * whatever reads features reads them. A records view has no fields and no aggregations: the rows it
 * ingests are its features.
 */
public record FeatureView(
    String name,
    EntityDef entity,
    String description,
    long ttlMs,
    long retentionMs,
    FreshnessSla freshness,
    List<FeatureDef> features,
    ViewKind kind,
    List<FeatureDef> fields,
    List<AggregationDef> aggregations) {

  public FeatureView {
    features = List.copyOf(features);
    fields = List.copyOf(fields);
    aggregations = List.copyOf(aggregations);
  }

  /** A records view. */
  public FeatureView(
      String name,
      EntityDef entity,
      String description,
      long ttlMs,
      long retentionMs,
      FreshnessSla freshness,
      List<FeatureDef> features) {
    this(
        name,
        entity,
        description,
        ttlMs,
        retentionMs,
        freshness,
        features,
        ViewKind.RECORDS,
        List.of(),
        List.of());
  }

  /** An event view; its features are its aggregations. */
  public static FeatureView ofEvents(
      String name,
      EntityDef entity,
      String description,
      long ttlMs,
      long retentionMs,
      FreshnessSla freshness,
      List<FeatureDef> fields,
      List<AggregationDef> aggregations) {
    List<FeatureDef> features = new ArrayList<>(aggregations.size());
    aggregations.forEach(a -> features.add(a.asFeature()));
    return new FeatureView(
        name,
        entity,
        description,
        ttlMs,
        retentionMs,
        freshness,
        features,
        ViewKind.EVENTS,
        fields,
        aggregations);
  }

  public boolean isEvents() {
    return kind == ViewKind.EVENTS;
  }

  /** What an ingested row holds besides the join key and event time: fields, or features. */
  public List<FeatureDef> ingestedColumns() {
    return isEvents() ? fields : features;
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

  public Optional<AggregationDef> aggregation(String aggregationName) {
    for (AggregationDef aggregation : aggregations) {
      if (aggregation.name().equals(aggregationName)) {
        return Optional.of(aggregation);
      }
    }
    return Optional.empty();
  }

  /** The positions of this view's record values, one shape per distinct feature list. */
  public RecordShape shape() {
    return shapeOf(features);
  }

  /** The positions of an event's values: its fields. */
  public RecordShape fieldShape() {
    return shapeOf(fields);
  }

  private static RecordShape shapeOf(List<FeatureDef> columns) {
    List<String> names = new ArrayList<>(columns.size());
    List<ValueType> types = new ArrayList<>(columns.size());
    for (FeatureDef column : columns) {
      names.add(column.name());
      types.add(column.type());
    }
    return RecordShape.of(names, types);
  }

  public Map<String, FeatureDef> featuresByName() {
    Map<String, FeatureDef> byName = new LinkedHashMap<>();
    features.forEach(f -> byName.put(f.name(), f));
    return byName;
  }
}
