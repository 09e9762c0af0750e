package io.freshet.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of monitoring: the last drift verdicts as gauges (set whenever drift is computed), and
 * the skew replay's counters. Series appear as services and features are first seen.
 */
public final class MonitoringMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> psi = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> status = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public MonitoringMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A feature's last PSI against its service's baseline; NaN when there was none to compute. */
  public void driftPsi(String service, String feature, double value) {
    psi.computeIfAbsent(
            service + "\u0000" + feature,
            k ->
                gauge(
                    "freshet_drift_psi",
                    "Population stability index of a served feature against its baseline, over"
                        + " the service's window",
                    "service",
                    service,
                    "feature",
                    feature))
        .set(Double.doubleToLongBits(value));
  }

  /** A service's last verdict: 0 stable, 1 drifting, 2 broken, NaN without one. */
  public void driftStatus(String service, double value) {
    status
        .computeIfAbsent(
            service,
            k ->
                gauge(
                    "freshet_drift_status",
                    "Drift verdict of a service: 0 stable, 1 drifting, 2 broken",
                    "service",
                    service))
        .set(Double.doubleToLongBits(value));
  }

  public void skewChecked(String service, int rows) {
    counter(
            "freshet_skew_checked",
            "Served rows replayed through the point-in-time engine",
            service,
            null)
        .increment(rows);
  }

  public void skewMismatched(String service, String feature) {
    counter(
            "freshet_skew_mismatched",
            "Replayed values or statuses that differed from what was served",
            service,
            feature)
        .increment();
  }

  public void skewDropped(String service, int rows) {
    counter(
            "freshet_skew_dropped",
            "Served rows drawn for replay but dropped because the replay queue was full",
            service,
            null)
        .increment(rows);
  }

  private AtomicLong gauge(String name, String description, String... tags) {
    AtomicLong holder = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    Gauge.builder(name, holder, MonitoringMetrics::value)
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
    return holder;
  }

  private static double value(AtomicLong bits) {
    return Double.longBitsToDouble(bits.get());
  }

  private Counter counter(String name, String description, String service, String feature) {
    String key = name + "\u0000" + service + "\u0000" + feature;
    return counters.computeIfAbsent(
        key,
        k -> {
          Counter.Builder builder =
              Counter.builder(name).description(description).tag("service", service);
          if (feature != null) {
            builder.tag("feature", feature);
          }
          return builder.register(registry);
        });
  }
}
