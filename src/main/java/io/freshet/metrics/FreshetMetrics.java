package io.freshet.metrics;

import io.freshet.model.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every meter Freshet publishes, registered once with constant names. Per-view meters are built at
 * start from the registry, so the read path only looks them up in a map it never writes.
 */
public final class FreshetMetrics {

  private static final String[] TIERS = {"hot", "warm", "cold"};

  private final MeterRegistry registry;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final Map<String, Counter> tierHits = new HashMap<>();
  private final Map<String, Counter> tierMisses = new HashMap<>();
  private final Map<String, ViewMeters> views = new HashMap<>();
  private final Map<String, Timer> routeTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> transformErrors = new ConcurrentHashMap<>();

  private final ServedValues served = new ServedValues();
  private final Counter admissionRefused;
  private final Counter warmFallbacks;
  private final Counter warmFallbacksRefused;

  /** The meters of one feature view. */
  private record ViewMeters(
      ServedValues.View reads,
      Counter ingestedRows,
      Counter acceptedBatches,
      Counter rejectedBatches,
      Counter slaRejections) {}

  public FreshetMetrics(PrometheusMeterRegistry registry, Collection<String> viewNames) {
    this.registry = registry;
    // The process's own health beside Freshet's: heap after GC, pauses, threads and CPU are what
    // a soak watches and what a leak or a blocked event loop shows up in first.
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    this.changeFeedDelay =
        Timer.builder("freshet_change_feed_delay")
            .description("Write on another instance to its arrival here (hot tier update)")
            .publishPercentileHistogram()
            .register(registry);
    for (String tier : TIERS) {
      tierHits.put(tier, counter("freshet_tier_reads", "tier", tier, "result", "hit"));
      tierMisses.put(tier, counter("freshet_tier_reads", "tier", tier, "result", "miss"));
    }
    for (String view : viewNames) {
      Counter[] reads = new Counter[Status.values().length];
      for (Status status : Status.values()) {
        reads[status.ordinal()] =
            counter("freshet_feature_reads", "view", view, "status", status.name());
      }
      views.put(
          view,
          new ViewMeters(
              served.add(view, reads),
              counter("freshet_ingest_rows", "view", view),
              counter("freshet_ingest_batches", "view", view, "outcome", "accepted"),
              counter("freshet_ingest_batches", "view", view, "outcome", "rejected"),
              counter("freshet_sla_rejections", "view", view)));
    }
    registry.getPrometheusRegistry().register(served);
    this.admissionRefused = counter("freshet_admission_refused");
    this.warmFallbacks = counter("freshet_warm_fallbacks", "outcome", "to_postgres");
    this.warmFallbacksRefused = counter("freshet_warm_fallbacks", "outcome", "refused");
  }

  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          "freshet_tier_reads",
          "Keys looked up per tier, by hit or miss",
          "freshet_feature_reads",
          "Values served per view, by status",
          "freshet_ingest_rows",
          "Rows accepted per view",
          "freshet_ingest_batches",
          "Ingest batches per view, accepted or rejected",
          "freshet_transform_errors",
          "Rows a transformation failed on and served null for",
          "freshet_sla_rejections",
          "Reads refused with 409 because a value was ROTTEN",
          "freshet_admission_refused",
          "Online reads refused with 503 because the instance was answering all it could",
          "freshet_warm_fallbacks",
          "Online reads whose Redis lookup failed or was slow: gone to Postgres, or refused");

  private Counter counter(String name, String... tags) {
    return Counter.builder(name).description(DESCRIPTIONS.get(name)).tags(tags).register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void tierHits(String tier, int hits, int misses) {
    if (hits > 0) {
      tierHits.get(tier).increment(hits);
    }
    if (misses > 0) {
      tierMisses.get(tier).increment(misses);
    }
  }

  /** The read meters of one view, for a caller about to serve many of its values. */
  public ServedValues.View viewReads(String view) {
    return views.get(view).reads();
  }

  public void ingestAccepted(String view, int rows) {
    ViewMeters meters = views.get(view);
    meters.acceptedBatches.increment();
    meters.ingestedRows.increment(rows);
  }

  public void ingestRejected(String view) {
    views.get(view).rejectedBatches.increment();
  }

  private final Timer changeFeedDelay;

  /** How long another instance's announced write took to arrive here. */
  public void changeFeedDelay(long micros) {
    changeFeedDelay.record(Math.max(0, micros), TimeUnit.MICROSECONDS);
  }

  /** An online read whose Redis lookup failed: sent on to Postgres, or refused (bound reached). */
  public void warmFallback(boolean toPostgres) {
    (toPostgres ? warmFallbacks : warmFallbacksRefused).increment();
  }

  /** An online read refused by admission control, before it touched any tier. */
  public void admissionRefused() {
    admissionRefused.increment();
  }

  /** A read refused because an {@code on_rotten: reject} value was ROTTEN. */
  public void slaRejection(String view) {
    views.get(view).slaRejections.increment();
  }

  /** A transformation that failed on a row's values and served null for it. */
  public void transformError(String transformation) {
    transformErrors
        .computeIfAbsent(
            transformation, t -> counter("freshet_transform_errors", "transformation", t))
        .increment();
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public void viewGauge(String name, String description, String view, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tag("view", view).register(registry);
  }

  public void requestTimed(String route, String method, int status, long nanos) {
    String key = method + " " + route + " " + status;
    routeTimers
        .computeIfAbsent(
            key,
            k ->
                Timer.builder("freshet_http_requests")
                    .description("HTTP request latency per route")
                    .tags("route", route, "method", method, "status", Integer.toString(status))
                    .publishPercentileHistogram()
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Stops listening for GC notifications, which would otherwise outlive this instance. */
  public void close() {
    gcMetrics.close();
  }
}
