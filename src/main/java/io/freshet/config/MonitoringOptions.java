package io.freshet.config;

import java.time.Duration;

/**
 * How monitored services are counted and replayed: how often an instance's sampled counts go to
 * Redis (and drift gauges are refreshed), and how many served rows may wait for their skew replay
 * before more are dropped.
 */
public final class MonitoringOptions {

  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);
  public static final int DEFAULT_SKEW_QUEUE = 1000;

  private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
  private int skewQueue = DEFAULT_SKEW_QUEUE;

  static MonitoringOptions fromEnv(EnvReader in) {
    MonitoringOptions options = new MonitoringOptions();
    options.flushInterval = in.millis("FRESHET_MONITORING_FLUSH_MS", DEFAULT_FLUSH_INTERVAL);
    options.skewQueue = in.smallInteger("FRESHET_SKEW_QUEUE", DEFAULT_SKEW_QUEUE);
    return options;
  }

  void validate() {
    if (flushInterval.toMillis() < 1 || flushInterval.toMillis() > 60_000) {
      throw new ConfigException("FRESHET_MONITORING_FLUSH_MS must be between 1 and 60000");
    }
    if (skewQueue < 1 || skewQueue > 1_000_000) {
      throw new ConfigException("FRESHET_SKEW_QUEUE must be between 1 and 1000000");
    }
  }

  public Duration flushInterval() {
    return flushInterval;
  }

  public MonitoringOptions flushInterval(Duration value) {
    flushInterval = value;
    return this;
  }

  public int skewQueue() {
    return skewQueue;
  }

  public MonitoringOptions skewQueue(int value) {
    skewQueue = value;
    return this;
  }
}
