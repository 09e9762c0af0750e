package io.freshet.config;

import java.time.Duration;

/**
 * How online reads are admitted when more arrive than the instance can answer promptly: the most
 * the adaptive limit may let run at once on one event loop ({@code 0} turns admission control off),
 * and how long a request over the limit may wait for a place before it is refused with 503.
 */
public final class AdmissionOptions {

  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
  public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofMillis(500);

  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private Duration queueTimeout = DEFAULT_QUEUE_TIMEOUT;

  static AdmissionOptions fromEnv(EnvReader in) {
    AdmissionOptions options = new AdmissionOptions();
    options.maxInFlight = in.smallInteger("FRESHET_ADMISSION_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT);
    options.queueTimeout = in.millis("FRESHET_ADMISSION_QUEUE_MS", DEFAULT_QUEUE_TIMEOUT);
    return options;
  }

  void validate() {
    if (maxInFlight < 0 || maxInFlight > 100_000) {
      throw new ConfigException("FRESHET_ADMISSION_MAX_IN_FLIGHT must be between 0 and 100000");
    }
    if (queueTimeout.toMillis() > 60_000) {
      throw new ConfigException("FRESHET_ADMISSION_QUEUE_MS must be between 0 and 60000");
    }
  }

  public boolean enabled() {
    return maxInFlight > 0;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  public AdmissionOptions maxInFlight(int value) {
    maxInFlight = value;
    return this;
  }

  public Duration queueTimeout() {
    return queueTimeout;
  }

  public AdmissionOptions queueTimeout(Duration value) {
    queueTimeout = value;
    return this;
  }
}
