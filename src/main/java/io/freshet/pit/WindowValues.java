package io.freshet.pit;

import io.freshet.aggregation.Partial;
import io.freshet.model.CellMeta;
import io.freshet.model.FeatureRecord;
import io.freshet.model.RecordShape;
import io.freshet.registry.AggregationDef;
import io.freshet.registry.FeatureView;
import io.freshet.tier.EventChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * An event view's aggregations for one entity at one instant, each over its own window {@code [at −
 * W, at)}: what an as-of lookup answers. Computed from the entity's events in the longest window,
 * by the same partials online tiles hold.
 */
record WindowValues(List<Object> values, long newestCountedMicros) {

  static WindowValues of(FeatureView view, EventChunk events, long atMicros) {
    RecordShape fields = view.fieldShape();
    List<AggregationDef> aggregations = view.aggregations();
    List<Partial> partials = new ArrayList<>(aggregations.size());
    aggregations.forEach(a -> partials.add(a.aggregator().empty()));
    long newest = CellMeta.NO_EVENT;
    for (int i = 0; i < events.size(); i++) {
      long event = events.event(i);
      Object[] decoded =
          FeatureRecord.ofJson(event, events.ingested(i), events.values(i)).values(fields);
      for (int a = 0; a < partials.size(); a++) {
        AggregationDef aggregation = aggregations.get(a);
        if (event >= atMicros - aggregation.windowMicros() && event < atMicros) {
          Object value =
              aggregation.of() == null ? null : decoded[fields.position(aggregation.of())];
          partials.get(a).add(value, event, events.ingested(i), events.sequence(i));
          newest = Math.max(newest, event);
        }
      }
    }
    List<Object> values = new ArrayList<>(partials.size());
    partials.forEach(p -> values.add(p.value()));
    return new WindowValues(values, newest);
  }
}
