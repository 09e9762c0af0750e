package io.freshet.tier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The in-process tier. Writes go through it (newest wins) rather than only invalidating it: a read
 * that fetched an older record from below before a write committed can then never put that older
 * record back over the newer one. Entries also expire after a maximum lifetime, which bounds how
 * long a value written through another instance can be shadowed here.
 */
final class CaffeineHotTier implements HotTier {

  private final Cache<TierKey, FeatureRecord> cache;
  private final boolean enabled;

  CaffeineHotTier(long maxEntries, Duration maxLifetime, Executor executor, Ticker ticker) {
    this.enabled = maxEntries > 0;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(maxLifetime)
            .executor(executor)
            .ticker(ticker)
            .build();
  }

  @Override
  public String name() {
    return "hot";
  }

  @Override
  public Future<List<FeatureRecord>> latest(List<TierKey> keys) {
    return Future.succeededFuture(peek(keys));
  }

  @Override
  public List<FeatureRecord> peek(List<TierKey> keys) {
    List<FeatureRecord> records = new ArrayList<>(keys.size());
    for (TierKey key : keys) {
      records.add(cache.getIfPresent(key));
    }
    return records;
  }

  @Override
  public Future<Void> offer(List<TierKey> keys, List<FeatureRecord> records) {
    put(keys, records);
    return Future.succeededFuture();
  }

  @Override
  public void put(List<TierKey> keys, List<FeatureRecord> records) {
    if (!enabled) {
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      FeatureRecord offered = records.get(i);
      if (offered != null) {
        cache.asMap().merge(keys.get(i), offered, (held, o) -> o.isNewerThan(held) ? o : held);
      }
    }
  }

  @Override
  public long size() {
    return cache.estimatedSize();
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }
}
