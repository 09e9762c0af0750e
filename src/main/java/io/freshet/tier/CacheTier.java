package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.vertx.core.Future;
import java.util.List;

/** A tier that copies records from below it and keeps, per key, only the newest it was offered. */
public interface CacheTier extends FeatureTier {

  /**
   * Moves whenever the tier goes down or comes back up. Records read from below before it moved may
   * be older than what a write acknowledged meanwhile, whose value the tier dropped rather than
   * took: they must not be copied in.
   */
  long epoch();

  /**
   * Stores each record unless the tier already holds a newer or equal one for its key, so a late or
   * out-of-order offer never replaces a newer value. {@code epoch}: the tier's {@link #epoch()}
   * before the records were read from below; if it has moved since, or the tier is not up, nothing
   * is stored.
   */
  Future<Void> offer(List<TierKey> keys, List<FeatureRecord> records, long epoch);
}
