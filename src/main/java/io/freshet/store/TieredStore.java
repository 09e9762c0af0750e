package io.freshet.store;

import io.freshet.ApiException;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.tier.ColdTier;
import io.freshet.tier.HotTier;
import io.freshet.tier.TierUnavailableException;
import io.freshet.tier.WarmTier;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The three tiers as one store. Reads go hot, then warm, then cold, and a miss below fills the
 * tiers above it. Writes commit to cold first; only a committed batch reaches warm and hot, and
 * both keep the newest record per key, so no interleaving of reads and writes can bring an older
 * value back.
 */
public final class TieredStore {

  private static final System.Logger LOG = System.getLogger(TieredStore.class.getName());

  private final HotTier hot;
  private final WarmTier warm;
  private final ColdTier cold;
  private final FreshetMetrics metrics;

  public TieredStore(HotTier hot, WarmTier warm, ColdTier cold, FreshetMetrics metrics) {
    this.hot = hot;
    this.warm = warm;
    this.cold = cold;
    this.metrics = metrics;
  }

  public HotTier hot() {
    return hot;
  }

  public WarmTier warm() {
    return warm;
  }

  public ColdTier cold() {
    return cold;
  }

  /** Latest records for distinct keys, each with the tier that served it. */
  public Future<TierLookup> latest(List<TierKey> keys) {
    TierLookup lookup = new TierLookup(keys);
    List<FeatureRecord> hits = hot.peek(keys);
    for (int i = 0; i < keys.size(); i++) {
      lookup.found(i, hits.get(i), "hot");
    }
    int hotMisses = lookup.missing().size();
    metrics.tierHits("hot", keys.size() - hotMisses, hotMisses);
    if (hotMisses == 0) {
      return Future.succeededFuture(lookup);
    }
    return fromWarm(lookup).compose(this::fromCold);
  }

  private Future<TierLookup> fromWarm(TierLookup lookup) {
    if (!warm.isUp()) {
      return Future.succeededFuture(lookup);
    }
    List<Integer> missing = lookup.missing();
    List<TierKey> keys = lookup.keysAt(missing);
    return warm.latest(keys)
        .map(
            records -> {
              lookup.foundAll(missing, records, "warm");
              List<TierKey> filled = new ArrayList<>();
              List<FeatureRecord> fills = new ArrayList<>();
              collectFound(keys, records, filled, fills);
              hot.put(filled, fills);
              metrics.tierHits("warm", filled.size(), keys.size() - filled.size());
              return lookup;
            })
        .recover(e -> Future.succeededFuture(lookup));
  }

  private Future<TierLookup> fromCold(TierLookup lookup) {
    List<Integer> missing = lookup.missing();
    if (missing.isEmpty()) {
      return Future.succeededFuture(lookup);
    }
    List<TierKey> keys = lookup.keysAt(missing);
    return cold.latest(keys)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof TierUnavailableException
                        ? ApiException.unavailable(
                            "cold tier (Postgres) is unavailable and "
                                + keys.size()
                                + " requested values are in neither the hot nor the warm tier")
                        : e))
        .map(
            records -> {
              lookup.foundAll(missing, records, "cold");
              List<TierKey> filled = new ArrayList<>();
              List<FeatureRecord> fills = new ArrayList<>();
              collectFound(keys, records, filled, fills);
              metrics.tierHits("cold", filled.size(), keys.size() - filled.size());
              if (!filled.isEmpty()) {
                hot.put(filled, fills);
                warm.offer(filled, fills)
                    .onFailure(f -> LOG.log(System.Logger.Level.DEBUG, "warm fill skipped: " + f));
              }
              return lookup;
            });
  }

  private static void collectFound(
      List<TierKey> keys,
      List<FeatureRecord> records,
      List<TierKey> filled,
      List<FeatureRecord> fills) {
    for (int i = 0; i < keys.size(); i++) {
      if (records.get(i) != null) {
        filled.add(keys.get(i));
        fills.add(records.get(i));
      }
    }
  }

  /**
   * Appends a validated batch to the record of truth, then makes it visible in hot and warm. The
   * returned future succeeds once the batch is durable; a warm-tier failure does not fail it (the
   * warm tier remembers the keys and drops them when it recovers).
   */
  public Future<Void> write(String view, List<String> entityKeys, List<FeatureRecord> records) {
    List<TierKey> keys = new ArrayList<>(entityKeys.size());
    entityKeys.forEach(k -> keys.add(new TierKey(view, k)));
    return cold.append(view, entityKeys, records)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof TierUnavailableException
                        ? ApiException.unavailable(
                            "cold tier (Postgres) is unavailable; nothing was written")
                        : e))
        .compose(
            committed -> {
              hot.put(keys, records);
              return warm.offer(keys, records).recover(e -> Future.succeededFuture());
            });
  }
}
