package io.freshet.http;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.freshet.config.AdmissionOptions;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Admits the online reads of one event loop. How many may run at once follows the latency they see
 * (Netflix concurrency-limits' Gradient2: the limit falls as soon as answers start to queue and
 * grows while they do not), so the instance keeps answering at its full rate instead of letting
 * every request wait behind every other. A request over the limit waits for a place, newest first:
 * under a flood the latest arrivals are answered promptly and the oldest give up, after the queue
 * timeout, with 503 {@code unavailable} and {@code Retry-After}, having touched no tier. A closed
 * loop of many connections keeps the server busy with answers rather than refusals.
 *
 * <p>Runs after the body is read, so a refusal leaves the connection usable for the next request.
 * Only its event loop's thread touches an instance.
 */
public final class Admission implements Handler<RoutingContext> {

  /** How often the oldest waiting requests are checked against the queue timeout. */
  private static final long SWEEP_MS = 10;

  private static final int MAX_WAITING = 100_000;

  private final SimpleLimiter<Void> limiter;
  private final long queueTimeoutNanos;
  private final FreshetMetrics metrics;
  private final Vertx vertx;
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private long sweeper = -1;

  private record Waiting(RoutingContext ctx, long sinceNanos) {}

  Admission(AdmissionOptions options, FreshetMetrics metrics, Vertx vertx) {
    int max = options.maxInFlight();
    this.limiter =
        SimpleLimiter.newBuilder()
            .limit(
                Gradient2Limit.newBuilder()
                    .initialLimit(Math.min(20, max))
                    .minLimit(Math.min(20, max))
                    .maxConcurrency(max)
                    .build())
            .build();
    this.queueTimeoutNanos = options.queueTimeout().toNanos();
    this.metrics = metrics;
    this.vertx = vertx;
  }

  int limit() {
    return limiter.getLimit();
  }

  int inFlight() {
    return limiter.getInflight();
  }

  int waiting() {
    return waiting.size();
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<Limiter.Listener> place = limiter.acquire(null);
    if (place.isPresent()) {
      admit(ctx, place.get());
      return;
    }
    if (queueTimeoutNanos == 0) {
      refuse(ctx);
      return;
    }
    if (waiting.size() == MAX_WAITING) {
      refuse(waiting.pollFirst().ctx());
    }
    waiting.addLast(new Waiting(ctx, System.nanoTime()));
    if (sweeper < 0) {
      sweeper = vertx.setPeriodic(SWEEP_MS, id -> sweep());
    }
  }

  private void admit(RoutingContext ctx, Limiter.Listener place) {
    ctx.addEndHandler(
        ended -> {
          // A tier's failure or a cut connection says nothing about how loaded this instance is.
          if (ended.succeeded() && ctx.response().getStatusCode() < 500) {
            place.onSuccess();
          } else {
            place.onIgnore();
          }
          admitWaiting();
        });
    ctx.next();
  }

  /** A place came free: the newest waiting requests take it. */
  private void admitWaiting() {
    while (!waiting.isEmpty()) {
      Optional<Limiter.Listener> place = limiter.acquire(null);
      if (place.isEmpty()) {
        return;
      }
      RoutingContext ctx = waiting.pollLast().ctx();
      if (ctx.response().closed()) {
        place.get().onIgnore();
        continue;
      }
      admit(ctx, place.get());
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    while (!waiting.isEmpty() && now - waiting.peekFirst().sinceNanos() > queueTimeoutNanos) {
      refuse(waiting.pollFirst().ctx());
    }
    if (waiting.isEmpty()) {
      vertx.cancelTimer(sweeper);
      sweeper = -1;
    }
  }

  private void refuse(RoutingContext ctx) {
    metrics.admissionRefused();
    if (!ctx.response().closed()) {
      ctx.response().putHeader("Retry-After", "1");
      ctx.fail(
          ApiException.unavailable(
              "this instance is answering as many online reads as it can; retry shortly"));
    }
  }
}
