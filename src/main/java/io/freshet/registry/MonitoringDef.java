package io.freshet.registry;

/**
 * How a feature service is watched: the share of its online reads counted against its baseline, the
 * rolling window they are compared over, how many sampled rows a verdict needs, the PSI thresholds
 * of its statuses, and the share of reads replayed through the point-in-time engine.
 */
public record MonitoringDef(
    double sample,
    long windowMs,
    int minSamples,
    double drifting,
    double broken,
    double skewSample) {

  public static final double DEFAULT_SAMPLE = 1.0;
  public static final long DEFAULT_WINDOW_MS = 3_600_000L;
  public static final int DEFAULT_MIN_SAMPLES = 100;
  public static final double DEFAULT_DRIFTING = 0.1;
  public static final double DEFAULT_BROKEN = 0.25;
  public static final double DEFAULT_SKEW_SAMPLE = 0.0;

  /** Every setting at its default: the thresholds a comparison of unwatched snapshots uses. */
  public static final MonitoringDef DEFAULTS =
      new MonitoringDef(
          DEFAULT_SAMPLE,
          DEFAULT_WINDOW_MS,
          DEFAULT_MIN_SAMPLES,
          DEFAULT_DRIFTING,
          DEFAULT_BROKEN,
          DEFAULT_SKEW_SAMPLE);

  /** The shortest window: counts are kept in one-minute buckets. */
  public static final long MIN_WINDOW_MS = 60_000L;
}
