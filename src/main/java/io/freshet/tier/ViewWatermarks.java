package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.Watermark;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each view's pipeline watermark in memory: loaded from Postgres at start, then moved by this
 * instance's writes and by the writes other instances announce. Reading it costs no query, so the
 * lag gauges and {@code /v1/freshness} are cheap.
 *
 * <p>Announcements missed while the change feed was unsubscribed may have moved other instances'
 * watermarks, so every subscription is followed by a reload from Postgres; one that failed
 * (Postgres was away too) is tried again by {@link #reloadIfStale()} until one succeeds.
 */
public final class ViewWatermarks {

  private static final System.Logger LOG = System.getLogger(ViewWatermarks.class.getName());

  private final Map<String, Watermark> byView = new ConcurrentHashMap<>();
  private final ColdTier cold;

  /** Subscriptions so far, and the latest of them whose gap a reload has covered. */
  private final AtomicLong subscriptions = new AtomicLong();

  private final AtomicLong reloadedThrough = new AtomicLong();

  public ViewWatermarks(ColdTier cold) {
    this.cold = cold;
  }

  /** The first load, at start; it fails when Postgres cannot answer. */
  public Future<Void> load() {
    return cold.watermarks().onSuccess(marks -> marks.forEach(this::advance)).mapEmpty();
  }

  public void advance(Watermark watermark) {
    byView.merge(watermark.view(), watermark, Watermark::newest);
  }

  /**
   * Moves each record's view to at least that record's times; a run of records of one view (a
   * batch) is folded first, so the shared map is touched once per batch, not once per record.
   */
  public void advance(List<TierKey> keys, List<FeatureRecord> records) {
    int i = 0;
    while (i < keys.size()) {
      String view = keys.get(i).view();
      long event = Long.MIN_VALUE;
      long ingested = Long.MIN_VALUE;
      for (; i < keys.size() && keys.get(i).view().equals(view); i++) {
        event = Math.max(event, records.get(i).eventMicros());
        ingested = Math.max(ingested, records.get(i).ingestedMicros());
      }
      advance(new Watermark(view, event, ingested));
    }
  }

  public Optional<Watermark> of(String view) {
    return Optional.ofNullable(byView.get(view));
  }

  /** Called on each subscription: what was missed before it is read back from Postgres. */
  void afterSubscription() {
    subscriptions.incrementAndGet();
    reload();
  }

  /** Reloads if a subscription's gap is not covered yet; the health timer calls it. */
  public void reloadIfStale() {
    if (reloadedThrough.get() < subscriptions.get()) {
      reload();
    }
  }

  private void reload() {
    long through = subscriptions.get();
    cold.watermarks()
        .onSuccess(
            marks -> {
              marks.forEach(this::advance);
              reloadedThrough.accumulateAndGet(through, Math::max);
            })
        .onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "watermarks not reloaded: " + e));
  }
}
