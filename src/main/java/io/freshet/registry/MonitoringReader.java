package io.freshet.registry;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** Reads a feature service's {@code monitoring} block; every setting has a default. */
final class MonitoringReader {

  private static final List<String> KEYS =
      List.of("sample", "window", "min_samples", "drift", "skew_sample");
  private static final List<String> DRIFT_KEYS = List.of("drifting", "broken");

  private MonitoringReader() {}

  static Optional<MonitoringDef> read(YamlMap monitoring) {
    monitoring.allowOnly(KEYS);
    double sample = share(monitoring, "sample", false, MonitoringDef.DEFAULT_SAMPLE);
    long windowMs = monitoring.duration("window", false).orElse(MonitoringDef.DEFAULT_WINDOW_MS);
    if (windowMs < MonitoringDef.MIN_WINDOW_MS || windowMs % MonitoringDef.MIN_WINDOW_MS != 0) {
      monitoring.problem(
          "window",
          "'window' must be a whole number of minutes, at least 1m (counts are kept"
              + " per minute)");
    }
    int minSamples =
        monitoring
            .integer("min_samples", 1, Integer.MAX_VALUE)
            .orElse(MonitoringDef.DEFAULT_MIN_SAMPLES);
    double drifting = MonitoringDef.DEFAULT_DRIFTING;
    double broken = MonitoringDef.DEFAULT_BROKEN;
    Optional<YamlMap> drift = monitoring.map("drift", "drift thresholds");
    if (drift.isPresent()) {
      drift.get().allowOnly(DRIFT_KEYS);
      drifting = positive(drift.get(), "drifting", drifting);
      broken = positive(drift.get(), "broken", broken);
      if (drifting > broken) {
        drift
            .get()
            .problem(
                "drifting", "'drifting' (" + drifting + ") is above 'broken' (" + broken + ")");
      }
    }
    double skewSample = share(monitoring, "skew_sample", true, MonitoringDef.DEFAULT_SKEW_SAMPLE);
    return Optional.of(
        new MonitoringDef(sample, windowMs, minSamples, drifting, broken, skewSample));
  }

  /** A share in (0, 1], or [0, 1] where 0 means off. */
  private static double share(YamlMap map, String key, boolean zeroAllowed, double fallback) {
    Optional<BigDecimal> value = map.number(key);
    if (value.isEmpty()) {
      return fallback;
    }
    BigDecimal x = value.get();
    boolean aboveLow = zeroAllowed ? x.signum() >= 0 : x.signum() > 0;
    if (!aboveLow || x.compareTo(BigDecimal.ONE) > 0) {
      map.problem(
          key,
          "'"
              + key
              + "' must be in "
              + (zeroAllowed ? "[0, 1]" : "(0, 1]")
              + ", not "
              + x.toPlainString());
      return fallback;
    }
    return x.doubleValue();
  }

  private static double positive(YamlMap map, String key, double fallback) {
    Optional<BigDecimal> value = map.number(key);
    if (value.isPresent() && value.get().signum() <= 0) {
      map.problem(key, "'" + key + "' must be a positive PSI, not " + value.get().toPlainString());
      return fallback;
    }
    return value.map(BigDecimal::doubleValue).orElse(fallback);
  }
}
