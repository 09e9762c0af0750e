package io.freshet.tier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.freshet.model.TierKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hot tier of event views: per (view, entity), what a read fetched of its tiles and edge events
 * (the {@code tiles} package's entry, opaque here). A committed event of the entity, here or on
 * another instance (the change feed), invalidates it; a read that fetched from below before that
 * cannot put its older copy back, because every fill says when its read began and an invalidation
 * since then wins. Used only while the hot tier is coherent (it is cleared with it).
 */
public final class TileCache {

  /** An entry invalidated at {@code sequence}: fills by reads that began before it are refused. */
  private record Invalidated(long sequence) {}

  private final Cache<TierKey, Object> cache;
  private final AtomicLong sequence = new AtomicLong();
  private volatile long clearedAt;

  public TileCache(long maxEntries, Duration maxLifetime, Ticker ticker) {
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(maxLifetime)
            .executor(Runnable::run)
            .ticker(ticker)
            .build();
  }

  /** Taken by a read before it fetches anything: what its fills are judged by. */
  public long mark() {
    return sequence.incrementAndGet();
  }

  /** The entry held for the key, or null. */
  public Object get(TierKey key) {
    Object held = cache.getIfPresent(key);
    return held instanceof Invalidated ? null : held;
  }

  /** Keeps what a read that began at {@code mark} fetched, unless the key changed since. */
  public void fill(TierKey key, Object entry, long mark) {
    if (mark <= clearedAt) {
      return;
    }
    cache
        .asMap()
        .compute(
            key,
            (k, held) ->
                held instanceof Invalidated && ((Invalidated) held).sequence() > mark
                    ? held
                    : entry);
  }

  /** Events of these keys were committed. */
  public void invalidate(List<TierKey> keys) {
    for (TierKey key : keys) {
      cache.put(key, new Invalidated(sequence.incrementAndGet()));
    }
  }

  public void clear() {
    clearedAt = sequence.incrementAndGet();
    cache.invalidateAll();
  }

  public long size() {
    return cache.estimatedSize();
  }
}
