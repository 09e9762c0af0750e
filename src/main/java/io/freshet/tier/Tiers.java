package io.freshet.tier;

import io.freshet.metrics.FreshetMetrics;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Set;

/**
 * The three tiers of one instance with what keeps them consistent: the change feed that keeps the
 * hot tier coherent across instances, and the view watermarks that writes and the feed move; and
 * what event views keep in them: tiles in Redis, events in Postgres.
 */
public record Tiers(
    CoherentHotTier hot,
    WarmTier warm,
    ColdTier cold,
    ChangeFeed feed,
    ViewWatermarks watermarks,
    TileStore tiles,
    EventHistory events) {

  /**
   * Starts hearing other instances' writes; completes after the first subscription attempt,
   * subscribed or not (the feed keeps trying, and the hot tier stays out of use until it hears).
   */
  public Future<Void> listen(FreshetMetrics metrics, Clock wallClock, Set<String> eventViews) {
    return feed.start(new FeedListener(hot, watermarks, metrics, wallClock, eventViews));
  }
}
