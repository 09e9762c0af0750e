package io.freshet.http;

import io.freshet.metrics.FreshetMetrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether online reads are being served late: the signal snapshot work gives way to. Each event
 * loop sets itself a timer every {@link #PROBE_MS} and measures how late it fires, which is how
 * long a request arriving then waited for its loop. That lateness is what a request's own timing
 * cannot show: a loop descheduled while a snapshot's Postgres backend, its client or its threads
 * take the cores. Serving is pressed while, within the last {@link #HOLD_NANOS}, a loop fired more
 * than {@link #LATE_NANOS} late and online reads were being served; a loop late with nothing but
 * ingest or snapshot bytes to write presses nothing.
 */
public final class ServingPressure {

  static final long PROBE_MS = 5;
  // An idle loop fires within a millisecond (0.4% of probes later in loop-hold.sh); more than
  // twice that late, the loop was kept from its core, or stopped by a pause.
  static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  // Long enough to span the gaps between late probes while the cores stay contended.
  static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final LongSupplier nanos;
  private final Timer lag;
  private volatile long lateAt;
  private volatile long readAt;

  public ServingPressure(LongSupplier nanos, FreshetMetrics metrics) {
    this.nanos = nanos;
    long longAgo = nanos.getAsLong() - 2 * HOLD_NANOS;
    this.lateAt = longAgo;
    this.readAt = longAgo;
    this.lag =
        Timer.builder("freshet_event_loop_lag")
            .description("How late each event loop's probe timer fired, every 5 ms")
            .publishPercentileHistogram()
            .register(metrics.registry());
    metrics.gauge(
        "freshet_serving_pressed",
        "1 while online reads are served by event loops kept from their cores: snapshot work waits",
        () -> pressed() ? 1 : 0);
  }

  /** Whether a loop serving online reads was late within the last {@link #HOLD_NANOS}. */
  public boolean pressed() {
    long now = nanos.getAsLong();
    return now - lateAt < HOLD_NANOS && now - readAt < HOLD_NANOS;
  }

  /** One probe of a loop at {@code now}: how late it fired, and whether it served reads since. */
  void probed(long now, long lateNanos, boolean served) {
    lag.record(lateNanos, TimeUnit.NANOSECONDS);
    if (lateNanos > LATE_NANOS) {
      lateAt = now;
    }
    if (served) {
      readAt = now;
    }
  }

  /**
   * Starts probing the event loop this is called on; the handler, put before its online reads',
   * counts them. The probe stops with the verticle whose context set its timer.
   */
  public Handler<RoutingContext> forEventLoop(Vertx vertx) {
    Probe probe = new Probe(vertx);
    probe.schedule();
    return probe;
  }

  /** Only its event loop's thread touches a probe. */
  private final class Probe implements Handler<RoutingContext> {

    private final Vertx vertx;
    private int reads;
    private long dueAt;

    Probe(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public void handle(RoutingContext ctx) {
      reads++;
      ctx.next();
    }

    void schedule() {
      dueAt = nanos.getAsLong() + TimeUnit.MILLISECONDS.toNanos(PROBE_MS);
      vertx.setTimer(PROBE_MS, id -> fired());
    }

    private void fired() {
      long now = nanos.getAsLong();
      probed(now, Math.max(0, now - dueAt), reads > 0);
      reads = 0;
      schedule();
    }
  }
}
