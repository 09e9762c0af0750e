package io.freshet.tier;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/** The in-process tier, read synchronously on the event loop. */
public interface HotTier extends CacheTier {

  /**
   * Caffeine's maintenance is amortised O(1) per operation, so the caller's thread is a fine
   * executor for it; the default common pool would hand work across threads for nothing.
   */
  static HotTier create(long maxEntries, Duration maxLifetime, Ticker ticker) {
    return create(maxEntries, maxLifetime, Runnable::run, ticker);
  }

  static HotTier create(long maxEntries, Duration maxLifetime, Executor executor, Ticker ticker) {
    return new CaffeineHotTier(maxEntries, maxLifetime, executor, ticker);
  }

  /** Hits and misses now, aligned with {@code keys}. */
  List<FeatureRecord> peek(List<TierKey> keys);

  void put(List<TierKey> keys, List<FeatureRecord> records);

  long size();

  void clear();
}
