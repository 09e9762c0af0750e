package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.vertx.core.Future;
import java.util.List;

/** A tier that copies records from below it and keeps, per key, only the newest it was offered. */
public interface CacheTier extends FeatureTier {

  /**
   * Stores each record unless the tier already holds a newer or equal one for its key, so a late or
   * out-of-order offer never replaces a newer value.
   */
  Future<Void> offer(List<TierKey> keys, List<FeatureRecord> records);
}
