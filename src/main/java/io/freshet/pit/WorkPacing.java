package io.freshet.pit;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * How much of the time snapshot work may take while online reads are pressed: its share, in
 * percent. Under pressure the pieces of every snapshot run one at a time, and after a piece that
 * took {@code d} the next waits {@code d × (100 − share) / share}. A scan reads its next chunk from
 * Postgres only once the last one is taken, and rows go to the client only as they are encoded, so
 * holding the pieces back slows the whole pipeline (the snapshot's Postgres backend and its client
 * included, which no thread priority of ours reaches) to about its share. Without pressure pieces
 * run as they come, on every snapshot thread.
 */
final class WorkPacing {

  /** The time pieces are measured and waited in; the system's, or a test's. */
  interface Ticker {
    long nanos();

    void park(long nanos);

    Ticker SYSTEM =
        new Ticker() {
          @Override
          public long nanos() {
            return System.nanoTime();
          }

          @Override
          public void park(long nanos) {
            LockSupport.parkNanos(nanos);
          }
        };
  }

  // A waiting piece looks again this often whether the pressure has gone.
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final int sharePercent;
  private final BooleanSupplier pressed;
  private final Ticker ticker;
  private final ReentrantLock lane = new ReentrantLock(true);
  private final LongAdder heldNanos = new LongAdder();
  private long openAt; // guarded by lane

  WorkPacing(int sharePercent, BooleanSupplier pressed, Ticker ticker) {
    this.sharePercent = sharePercent;
    this.pressed = pressed;
    this.ticker = ticker;
    this.openAt = ticker.nanos();
  }

  /** Pacing that never holds a piece back. */
  static WorkPacing none() {
    return new WorkPacing(100, () -> false, Ticker.SYSTEM);
  }

  /** Runs {@code task} on the calling snapshot thread once its share allows. */
  <T> T run(Callable<T> task) throws Exception {
    if (sharePercent >= 100 || !pressed.getAsBoolean()) {
      return task.call();
    }
    long arrived = ticker.nanos();
    if (!enterLane()) {
      return task.call();
    }
    try {
      waitForOpening();
      long started = ticker.nanos();
      heldNanos.add(started - arrived);
      try {
        return task.call();
      } finally {
        long ended = ticker.nanos();
        openAt = ended + rest(ended - started);
      }
    } finally {
      lane.unlock();
    }
  }

  /** How long pieces have been held back for serving, in all. */
  long heldNanos() {
    return heldNanos.sum();
  }

  /** The wait after a piece that took {@code tookNanos}, so that it had its share of the time. */
  private long rest(long tookNanos) {
    return tookNanos / sharePercent * (100 - sharePercent);
  }

  /** Takes the one lane pressed pieces run in; false when the pressure went meanwhile. */
  private boolean enterLane() throws InterruptedException {
    while (!lane.tryLock(RECHECK_NANOS, TimeUnit.NANOSECONDS)) {
      if (!pressed.getAsBoolean()) {
        return false;
      }
    }
    return true;
  }

  private void waitForOpening() {
    for (long now = ticker.nanos(); now < openAt && pressed.getAsBoolean(); now = ticker.nanos()) {
      ticker.park(Math.min(openAt - now, RECHECK_NANOS));
    }
  }
}
