package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import java.util.List;

/**
 * The hot tier as the read and write paths use it: only while this instance hears every other
 * instance's writes on the change feed. Until it does, and whenever it stops, the tier is neither
 * read nor filled: a hot entry nobody can invalidate is a stale value waiting to be served.
 */
public final class CoherentHotTier {

  private final HotTier hot;
  private volatile boolean coherent;

  public CoherentHotTier(HotTier hot) {
    this.hot = hot;
  }

  /** Whether reads may use the tier now. */
  public boolean coherent() {
    return coherent;
  }

  /**
   * Hits and misses now, aligned with {@code keys}; for a caller that checked {@link #coherent}.
   */
  public List<FeatureRecord> peek(List<TierKey> keys) {
    return hot.peek(keys);
  }

  /** Newest wins per key, as in every tier; nothing is kept while the tier is not coherent. */
  public void put(List<TierKey> keys, List<FeatureRecord> records) {
    if (coherent) {
      hot.put(keys, records);
    }
  }

  public long size() {
    return hot.size();
  }

  public void clear() {
    hot.clear();
  }

  /**
   * Subscribed again: what the tier held may have been superseded meanwhile, so it starts empty.
   */
  void subscribed() {
    hot.clear();
    coherent = true;
  }

  void lost() {
    coherent = false;
    hot.clear();
  }
}
