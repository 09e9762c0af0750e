package io.freshet.read;

import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.ApiException;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.freshet.tier.CoherentHotTier;
import io.freshet.tier.ColdTier;
import io.freshet.tier.Tiers;
import io.freshet.tier.WarmTier;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The latest records of an online read: hot, then warm, then cold, and a miss below fills the tiers
 * above it. Each tier keeps the newest record per key, so a fill racing a write can never bring an
 * older value back.
 *
 * <p>A read whose Redis lookup fails or is too slow goes on to Postgres by itself, leaving the warm
 * tier up for every other read; such fallbacks are bounded, so that a Redis that slows down under
 * load cannot hand every request to Postgres at once: past the bound a read is answered 503.
 */
final class TierCascade {

  private static final System.Logger LOG = System.getLogger(TierCascade.class.getName());

  private final CoherentHotTier hot;
  private final WarmTier warm;
  private final ColdTier cold;
  private final FreshetMetrics metrics;
  private final int maxFallbacks;
  private final AtomicInteger fallbacks = new AtomicInteger();

  TierCascade(Tiers tiers, FreshetMetrics metrics, int maxFallbacks) {
    this.hot = tiers.hot();
    this.warm = tiers.warm();
    this.cold = tiers.cold();
    this.metrics = metrics;
    this.maxFallbacks = maxFallbacks;
  }

  /** Latest records for distinct keys, each with the tier that served it. */
  Future<TierLookup> latest(List<TierKey> keys) {
    TierLookup lookup = new TierLookup(keys);
    if (!hot.coherent()) {
      return fromWarm(lookup).compose(this::fromCold);
    }
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
              hot.fill(filled, fills);
              metrics.tierHits("warm", filled.size(), keys.size() - filled.size());
              return lookup;
            })
        .recover(
            e -> {
              lookup.warmFailed();
              return Future.succeededFuture(lookup);
            });
  }

  private Future<TierLookup> fromCold(TierLookup lookup) {
    List<Integer> missing = lookup.missing();
    if (missing.isEmpty()) {
      return Future.succeededFuture(lookup);
    }
    if (!lookup.fellBack()) {
      return fromCold(lookup, missing);
    }
    if (fallbacks.incrementAndGet() > maxFallbacks) {
      fallbacks.decrementAndGet();
      metrics.warmFallback(false);
      return Future.failedFuture(
          ApiException.unavailable(
              "Redis did not answer in time and "
                  + maxFallbacks
                  + " reads are already going to Postgres instead"));
    }
    metrics.warmFallback(true);
    return fromCold(lookup, missing).onComplete(done -> fallbacks.decrementAndGet());
  }

  private Future<TierLookup> fromCold(TierLookup lookup, List<Integer> missing) {
    List<TierKey> keys = lookup.keysAt(missing);
    long warmEpoch = warm.epoch();
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
                hot.fill(filled, fills);
                warm.offer(filled, fills, warmEpoch)
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
}
