package io.freshet.tier;

import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.Timestamps;
import java.time.Clock;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * What this instance does with the change feed: other instances' committed records go into its hot
 * tier (newest wins) and move its view watermarks; a lost subscription takes the hot tier out of
 * use until the feed is heard again.
 */
final class FeedListener implements ChangeFeed.Listener {

  private final CoherentHotTier hot;
  private final ViewWatermarks watermarks;
  private final FreshetMetrics metrics;
  private final Clock wallClock;
  private final Set<String> eventViews;

  /**
   * {@code wallClock} measures delivery (publisher's wall clock to ours), not feature time; {@code
   * eventViews}: the views whose writes are events, which invalidate tiles instead.
   */
  FeedListener(
      CoherentHotTier hot,
      ViewWatermarks watermarks,
      FreshetMetrics metrics,
      Clock wallClock,
      Set<String> eventViews) {
    this.hot = hot;
    this.watermarks = watermarks;
    this.metrics = metrics;
    this.wallClock = wallClock;
    this.eventViews = eventViews;
  }

  @Override
  public void subscribed() {
    hot.subscribed();
    watermarks.afterSubscription();
  }

  @Override
  public void lost() {
    hot.lost();
  }

  @Override
  public void changed(
      List<TierKey> keys, List<FeatureRecord> records, BitSet heldByRedis, long publishedMicros) {
    if (eventViews.contains(keys.get(0).view())) {
      // A batch is one view's. Its writer updated the tiles in Redis before announcing them.
      hot.tiles().invalidate(keys);
    } else {
      // As for this instance's own writes: every record's order, then the ones Redis holds.
      hot.write(keys, records);
      hot.fillHeld(keys, records, heldByRedis);
    }
    watermarks.advance(keys, records);
    metrics.changeFeedDelay(Timestamps.nowMicros(wallClock) - publishedMicros);
  }
}
