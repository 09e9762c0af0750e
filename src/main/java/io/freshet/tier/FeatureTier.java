package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.vertx.core.Future;
import java.util.List;

/** A home for the latest record of each (view, entity): hot, warm or cold. */
public interface FeatureTier {

  /** The tier's name as responses and metrics show it: {@code hot}, {@code warm}, {@code cold}. */
  String name();

  /**
   * The latest record for each key, aligned with {@code keys}; a {@code null} element is a miss.
   */
  Future<List<FeatureRecord>> latest(List<TierKey> keys);
}
