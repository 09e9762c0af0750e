package io.freshet.pit;

import io.freshet.freshness.FreshnessClassifier;
import io.freshet.registry.FeatureView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whether a snapshot's rows reach before what the history still keeps. A row at {@code t} may use a
 * view's records back to {@code t - ttl}; a view with a retention keeps its history back to {@code
 * now - retention} at least (whole months are dropped only once past it). A row that looks further
 * back may be answered from history that is already gone, and a re-run of it later can differ: the
 * manifest says so rather than let the difference pass silently.
 */
final class Retention {

  private Retention() {}

  static boolean truncated(List<FeatureView> views, long earliestRowMicros, long nowMicros) {
    for (FeatureView view : views) {
      Optional<Duration> kept = view.retention();
      // The row reaches back to t - ttl, before the horizon now - retention when
      // (now - t) + ttl > retention; summed saturated, as a ttl may be as long as a long holds.
      if (kept.isPresent()
          && saturatedAdd(nowMicros - earliestRowMicros, FreshnessClassifier.ttlMicros(view))
              > micros(kept.get())) {
        return true;
      }
    }
    return false;
  }

  private static long micros(Duration duration) {
    return duration.toMillis() > Long.MAX_VALUE / 1000
        ? Long.MAX_VALUE
        : duration.toMillis() * 1000;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
  }
}
