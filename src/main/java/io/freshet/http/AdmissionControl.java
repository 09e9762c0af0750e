package io.freshet.http;

import io.freshet.config.AdmissionOptions;
import io.freshet.metrics.FreshetMetrics;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Admission control for online reads, one {@link Admission} per event loop (each only ever touched
 * by its own thread, so admitting costs no lock), with the instance's meters summed over them.
 */
public final class AdmissionControl {

  private final AdmissionOptions options;
  private final FreshetMetrics metrics;
  private final List<Admission> loops = new CopyOnWriteArrayList<>();

  public AdmissionControl(AdmissionOptions options, FreshetMetrics metrics) {
    this.options = options;
    this.metrics = metrics;
    metrics.gauge(
        "freshet_admission_limit",
        "Online reads the adaptive limits let run at once, over all event loops",
        () -> loops.stream().mapToInt(Admission::limit).sum());
    metrics.gauge(
        "freshet_admission_in_flight",
        "Online reads admitted and not yet answered",
        () -> loops.stream().mapToInt(Admission::inFlight).sum());
    metrics.gauge(
        "freshet_admission_waiting",
        "Online reads over the limit, waiting for a place",
        () -> loops.stream().mapToInt(Admission::waiting).sum());
  }

  /** The admission of one event loop's router; null when admission control is off. */
  public Admission forEventLoop(Vertx vertx) {
    if (!options.enabled()) {
      return null;
    }
    Admission admission = new Admission(options, metrics, vertx);
    loops.add(admission);
    return admission;
  }
}
