package io.freshet.freshness;

import io.freshet.model.Status;
import io.freshet.registry.FeatureView;
import io.freshet.registry.FreshnessSla;

/**
 * Classifies a value by its age alone. Ages come from {@code event_timestamp} and the caller's
 * clock reading, never from when a tier cached the value, so no tier can make a value look fresher
 * than it is. The same ttl rule decides MISSING online and in point-in-time lookups.
 */
public final class FreshnessClassifier {

  private static final long MICROS_PER_MILLI = 1000;

  private FreshnessClassifier() {}

  /** Age in microseconds, never negative: an event slightly in the future is age 0. */
  public static long ageMicros(long eventMicros, long nowMicros) {
    return Math.max(0, nowMicros - eventMicros);
  }

  public static Status classify(FeatureView view, long eventMicros, long nowMicros) {
    long age = ageMicros(eventMicros, nowMicros);
    if (beyondTtl(view, age)) {
      return Status.MISSING;
    }
    FreshnessSla sla = view.freshness();
    if (age <= micros(sla.freshMs())) {
      return Status.FRESH;
    }
    if (age <= micros(sla.staleMs())) {
      return Status.STALE;
    }
    return Status.ROTTEN;
  }

  /**
   * A stream's lag by the view's SLA alone: an event view's windows have no ttl to fall out of (an
   * empty window is a count of 0), so a stalled stream is ROTTEN however long it stalls.
   */
  public static Status classifyLag(FeatureView view, long lagMicros) {
    FreshnessSla sla = view.freshness();
    if (lagMicros <= micros(sla.freshMs())) {
      return Status.FRESH;
    }
    return lagMicros <= micros(sla.staleMs()) ? Status.STALE : Status.ROTTEN;
  }

  public static boolean beyondTtl(FeatureView view, long ageMicros) {
    return ageMicros > ttlMicros(view);
  }

  /** The view's ttl in microseconds (saturated): how far back a lookup ever needs to read. */
  public static long ttlMicros(FeatureView view) {
    return micros(view.ttlMs());
  }

  private static long micros(long millis) {
    return millis > Long.MAX_VALUE / MICROS_PER_MILLI ? Long.MAX_VALUE : millis * MICROS_PER_MILLI;
  }
}
