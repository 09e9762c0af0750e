package io.freshet.tier;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The in-process tier, read synchronously on the event loop. Every change keeps the newest record
 * per key by (event time, ingestion time), as in every tier; it learns records two ways, which it
 * trusts differently:
 *
 * <ul>
 *   <li>{@link #fill}: a record a read found in Redis or Postgres, the newest there was;
 *   <li>{@link #write}: a record just committed, here or by another instance. If the tier already
 *       holds the key, the newer of the two is the newest known. If it does not (the entry expired,
 *       was evicted, or was never read), a newer record may be waiting below, so the tier keeps
 *       only the written record's order: reads pass it by, and no read that fetched an older record
 *       before the write committed can put that one back.
 * </ul>
 */
public interface HotTier {

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

  /** Records held now, aligned with {@code keys}; null where the tier has none to serve. */
  List<FeatureRecord> peek(List<TierKey> keys);

  /** Records read from below; null elements are skipped. */
  void fill(List<TierKey> keys, List<FeatureRecord> records);

  /** Records committed; null elements are skipped. */
  void write(List<TierKey> keys, List<FeatureRecord> records);

  long size();

  void clear();
}
