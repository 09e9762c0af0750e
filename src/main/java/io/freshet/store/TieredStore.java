package io.freshet.store;

import io.freshet.ApiException;
import io.freshet.freshness.ViewWatermarks;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.tier.ChangeFeed;
import io.freshet.tier.ColdTier;
import io.freshet.tier.FirstAnswer;
import io.freshet.tier.HotTier;
import io.freshet.tier.TierUnavailableException;
import io.freshet.tier.WarmTier;
import io.freshet.tier.Watermark;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The three tiers as one store. Reads go hot, then warm, then cold, and a miss below fills the
 * tiers above it. Writes commit to cold first; only a committed batch reaches warm and hot, and
 * both keep the newest record per key, so no interleaving of reads and writes can bring an older
 * value back.
 */
public final class TieredStore implements ChangeFeed.Listener {

  private static final System.Logger LOG = System.getLogger(TieredStore.class.getName());

  private final HotTier hot;
  private final WarmTier warm;
  private final ColdTier cold;
  private final ChangeFeed feed;
  private final ViewWatermarks watermarks;
  private final FreshetMetrics metrics;
  private final Clock wallClock = Clock.systemUTC();

  /**
   * Whether this instance hears every other instance's writes. Until it does, and whenever it
   * stops, the hot tier is neither read nor filled: a hot entry nobody can invalidate is a stale
   * value waiting to be served.
   */
  private volatile boolean hotCoherent;

  public TieredStore(
      HotTier hot,
      WarmTier warm,
      ColdTier cold,
      ChangeFeed feed,
      ViewWatermarks watermarks,
      FreshetMetrics metrics) {
    this.hot = hot;
    this.warm = warm;
    this.cold = cold;
    this.feed = feed;
    this.watermarks = watermarks;
    this.metrics = metrics;
  }

  public boolean hotCoherent() {
    return hotCoherent;
  }

  /** Subscriptions so far, and the latest of them whose gap a watermark reload has covered. */
  private final AtomicLong subscriptions = new AtomicLong();

  private final AtomicLong reloadedThrough = new AtomicLong();

  @Override
  public void subscribed() {
    hot.clear();
    hotCoherent = true;
    subscriptions.incrementAndGet();
    reloadWatermarks();
  }

  /**
   * Announcements missed while unsubscribed may have moved other instances' watermarks, so every
   * subscription is followed by a reload from Postgres. One that failed (Postgres was away too) is
   * tried again here, which the health timer calls, until one succeeds: until then this instance's
   * freshness report and lag gauges would trail the writes it did not hear about.
   */
  public void reloadWatermarksIfStale() {
    if (reloadedThrough.get() < subscriptions.get()) {
      reloadWatermarks();
    }
  }

  private void reloadWatermarks() {
    long through = subscriptions.get();
    cold.watermarks()
        .onSuccess(
            marks -> {
              marks.forEach(watermarks::advance);
              reloadedThrough.accumulateAndGet(through, Math::max);
            })
        .onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "watermarks not reloaded: " + e));
  }

  @Override
  public void lost() {
    hotCoherent = false;
    hot.clear();
  }

  @Override
  public void changed(List<TierKey> keys, List<FeatureRecord> records, long publishedMicros) {
    if (hotCoherent) {
      hot.put(keys, records);
    }
    advanceWatermarks(keys, records);
    metrics.changeFeedDelay(Timestamps.toMicros(wallClock.instant()) - publishedMicros);
  }

  private void advanceWatermarks(List<TierKey> keys, List<FeatureRecord> records) {
    for (int i = 0; i < keys.size(); i++) {
      FeatureRecord r = records.get(i);
      watermarks.advance(new Watermark(keys.get(i).view(), r.eventMicros(), r.ingestedMicros()));
    }
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
    if (!hotCoherent) {
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
              fillHot(filled, fills);
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
                fillHot(filled, fills);
                warm.offer(filled, fills)
                    .onFailure(f -> LOG.log(System.Logger.Level.DEBUG, "warm fill skipped: " + f));
              }
              return lookup;
            });
  }

  private void fillHot(List<TierKey> keys, List<FeatureRecord> records) {
    if (hotCoherent) {
      hot.put(keys, records);
    }
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
    return writeOnce(null, null, view, entityKeys, records).mapEmpty();
  }

  /**
   * {@link #write} under an Idempotency-Key ({@code null} for none): when the key was seen before,
   * nothing is written and the first answer comes back instead.
   */
  public Future<Optional<FirstAnswer>> writeOnce(
      String idempotencyKey,
      String requestSha256,
      String view,
      List<String> entityKeys,
      List<FeatureRecord> records) {
    List<TierKey> keys = new ArrayList<>(entityKeys.size());
    entityKeys.forEach(k -> keys.add(new TierKey(view, k)));
    Future<Optional<FirstAnswer>> committed =
        idempotencyKey == null
            ? cold.append(view, entityKeys, records).map(v -> Optional.empty())
            : cold.appendOnce(idempotencyKey, requestSha256, view, entityKeys, records);
    return committed
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof TierUnavailableException
                        ? ApiException.unavailable(
                            "cold tier (Postgres) is unavailable; nothing was written")
                        : e))
        .compose(
            first ->
                first.isPresent()
                    ? Future.succeededFuture(first)
                    : makeVisible(keys, records).map(first));
  }

  private Future<Void> makeVisible(List<TierKey> keys, List<FeatureRecord> records) {
    advanceWatermarks(keys, records);
    fillHot(keys, records);
    return warm.offer(keys, records)
        .recover(e -> Future.succeededFuture())
        .compose(
            visible ->
                feed.publish(keys, records)
                    .recover(
                        e -> {
                          LOG.log(System.Logger.Level.WARNING, "change not announced: " + e);
                          return Future.succeededFuture();
                        }));
  }
}
