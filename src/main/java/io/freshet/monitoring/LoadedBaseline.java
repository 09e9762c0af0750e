package io.freshet.monitoring;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** A baseline with its profile's bins, by feature name in profile order. */
record LoadedBaseline(Baseline baseline, Map<String, FeatureBins> bins) {

  static LoadedBaseline of(Baseline baseline, JsonObject profile) {
    Map<String, FeatureBins> bins = new LinkedHashMap<>();
    for (Object column : profile.getJsonArray("columns")) {
      FeatureBins feature = FeatureBins.of((JsonObject) column);
      bins.put(feature.name(), feature);
    }
    return new LoadedBaseline(baseline, bins);
  }

  /** The key prefix of this baseline's buckets: a new baseline starts its counts afresh. */
  String bucketPrefix() {
    return baseline.service() + ":" + baseline.snapshotId() + ":";
  }
}
