package io.freshet.write;

import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a row of one view may hold, prepared once: the join key, {@code event_timestamp} and each
 * feature by name, with their checks. Each batch is read by a {@link BatchBuilder} of its own.
 */
final class BatchValidator {

  static final String EVENT_TIMESTAMP = "event_timestamp";
  static final long FUTURE_TOLERANCE_MICROS = 5 * 60 * 1_000_000L;

  /** Every key sits in a Postgres btree index, whose entries must stay within about 2.7 kB. */
  static final int MAX_KEY_BYTES = 1024;

  /** Slot 0 is the join key, slot 1 {@code event_timestamp}, then the features in view order. */
  static final int KEY_SLOT = 0;

  static final int EVENT_SLOT = 1;
  static final int FIRST_FEATURE_SLOT = 2;

  final FeatureView view;
  final String joinKey;
  final FeatureValues[] features;
  final Map<String, Integer> slots = new HashMap<>();

  BatchValidator(FeatureView view) {
    this.view = view;
    this.joinKey = view.entity().joinKey();
    List<FeatureDef> defs = view.ingestedColumns();
    this.features = new FeatureValues[defs.size()];
    slots.put(joinKey, KEY_SLOT);
    slots.put(EVENT_TIMESTAMP, EVENT_SLOT);
    for (int f = 0; f < defs.size(); f++) {
      features[f] = new FeatureValues(defs.get(f));
      slots.put(defs.get(f).name(), FIRST_FEATURE_SLOT + f);
    }
  }

  /** A builder for one batch, judging event times against {@code nowMicros}. */
  BatchBuilder start(long nowMicros) {
    return new BatchBuilder(this, nowMicros);
  }
}
