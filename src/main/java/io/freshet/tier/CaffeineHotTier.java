package io.freshet.tier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The in-process tier. Entries also expire after a maximum lifetime, which bounds how long a value
 * written through another instance can be shadowed here if the change feed missed it.
 */
final class CaffeineHotTier implements HotTier {

  /**
   * The order of a committed record the tier cannot vouch for, held in place of a record: reads
   * pass it by. A record the tier may serve is held as itself, not wrapped with its order: an
   * object less per entry for the collector to trace and copy, and 32 bytes (sizing.sh: 407 → 375
   * bytes an entry). Batch reads, whose hits miss the cache along each entry's chain of objects,
   * were no faster measurably (BENCHMARKS.md, "Bytes per entity in each tier").
   */
  private record OrderOnly(long eventMicros, long ingestedMicros) {}

  private static long eventMicros(Object held) {
    return held instanceof FeatureRecord record
        ? record.eventMicros()
        : ((OrderOnly) held).eventMicros();
  }

  private static long ingestedMicros(Object held) {
    return held instanceof FeatureRecord record
        ? record.ingestedMicros()
        : ((OrderOnly) held).ingestedMicros();
  }

  /** By event time, then ingestion time. */
  private static int compareOrder(Object a, Object b) {
    int byEvent = Long.compare(eventMicros(a), eventMicros(b));
    return byEvent != 0 ? byEvent : Long.compare(ingestedMicros(a), ingestedMicros(b));
  }

  /**
   * The cache's key of a cell whose entity key is the canonical decimal of a long (no sign but a
   * minus, no leading zero, at most 18 digits, so that it always fits). A lookup compares its key
   * with the held one: a {@link TierKey}'s entity key is a String and its bytes, two more objects
   * to fetch from memory than this one. In a batch read of 400 cells the compare was the largest
   * frame of the profile (BENCHMARKS.md, "Dense profiles"). Other keys stay TierKeys. The two kinds
   * are never equal, and a canonical decimal names one long, so no two cells share a key. Written
   * out rather than a record: the record's generated equals and hashCode read 0.966× the batch
   * req/s of these in a same-run A/B, behind in 7 rounds of 8 (BENCHMARKS.md, "Bytes per entity").
   */
  private static final class NumericKey {
    private final String view;
    private final long entity;

    NumericKey(String view, long entity) {
      this.view = view;
      this.entity = entity;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof NumericKey
          && entity == ((NumericKey) other).entity
          && view.equals(((NumericKey) other).view);
    }

    @Override
    public int hashCode() {
      return 31 * view.hashCode() + Long.hashCode(entity);
    }
  }

  private static final int MAX_DIGITS = 18;

  private static Object cacheKey(TierKey key) {
    String text = key.entityKey();
    int length = text.length();
    int first = length > 0 && text.charAt(0) == '-' ? 1 : 0;
    int digits = length - first;
    if (digits == 0
        || digits > MAX_DIGITS
        || (text.charAt(first) == '0' && (digits > 1 || first == 1))) {
      return key;
    }
    long value = 0;
    for (int i = first; i < length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return key;
      }
      value = value * 10 + (c - '0');
    }
    return new NumericKey(key.view(), first == 1 ? -value : value);
  }

  /** A {@link FeatureRecord} it may serve, or an {@link OrderOnly}. */
  private final Cache<Object, Object> cache;

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
  public List<FeatureRecord> peek(List<TierKey> keys) {
    List<FeatureRecord> records = new ArrayList<>(keys.size());
    for (TierKey key : keys) {
      Object held = cache.getIfPresent(cacheKey(key));
      records.add(held instanceof FeatureRecord record ? record : null);
    }
    return records;
  }

  /**
   * A record read from below replaces what is held unless that is newer: a held order of the same
   * record (its own write) or an older one gives way to it.
   */
  @Override
  public void fill(List<TierKey> keys, List<FeatureRecord> records) {
    if (!enabled) {
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      FeatureRecord found = records.get(i);
      if (found != null) {
        cache
            .asMap()
            .merge(
                cacheKey(keys.get(i)),
                found,
                (held, o) ->
                    held instanceof FeatureRecord
                        ? (compareOrder(o, held) > 0 ? o : held)
                        : (compareOrder(o, held) >= 0 ? o : held));
      }
    }
  }

  /**
   * A committed record is served from here only on top of a record the tier holds; on top of
   * nothing, or of a held order, the tier keeps the newer order alone until a read fills it.
   */
  @Override
  public void write(List<TierKey> keys, List<FeatureRecord> records) {
    if (!enabled) {
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      FeatureRecord committed = records.get(i);
      if (committed != null) {
        cache
            .asMap()
            .merge(
                cacheKey(keys.get(i)),
                new OrderOnly(committed.eventMicros(), committed.ingestedMicros()),
                (held, order) -> {
                  if (compareOrder(order, held) <= 0) {
                    return held;
                  }
                  return held instanceof FeatureRecord ? committed : order;
                });
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
