package io.freshet.pit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The threads snapshots join, decode and encode on, apart from the event loops that serve online
 * reads, and below them: each thread lowers its own scheduling priority when it starts (on Linux,
 * nice 10: lowering one's own priority needs no privilege), so with every core busy the operating
 * system runs a waiting online read before snapshot work. Work is handed in small pieces (a chunk
 * of history, a chunk of rows), so nothing a snapshot does holds an event loop for long. A priority
 * reaches only these threads, so while online reads are served late the pieces are also paced
 * ({@link WorkPacing}), which slows the snapshot's Postgres scans and its client with them.
 */
public final class SnapshotWorkers implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(SnapshotWorkers.class.getName());
  private static final int NICE = 10;

  private final ExecutorService threads;
  private final WorkPacing pacing;

  /**
   * {@code count} threads whose work, while {@code servingPressed} says online reads are served
   * late, takes at most {@code sharePercent} of the time (100: never held back).
   */
  public SnapshotWorkers(int count, int sharePercent, BooleanSupplier servingPressed) {
    this(count, new WorkPacing(sharePercent, servingPressed, WorkPacing.Ticker.SYSTEM));
  }

  SnapshotWorkers(int count, WorkPacing pacing) {
    this.pacing = pacing;
    AtomicInteger numbers = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            count,
            task -> {
              Thread thread =
                  new Thread(
                      () -> {
                        lowerPriority();
                        task.run();
                      },
                      "freshet-snapshots-" + numbers.incrementAndGet());
              thread.setDaemon(true);
              thread.setPriority(Thread.MIN_PRIORITY);
              return thread;
            });
  }

  /**
   * Runs {@code task} on a snapshot thread; the answer completes on the caller's Vert.x context,
   * failed with exactly what the task threw.
   */
  <T> Future<T> run(Callable<T> task) {
    Context caller = Vertx.currentContext();
    CompletableFuture<T> result = new CompletableFuture<>();
    threads.execute(
        () -> {
          try {
            result.complete(pacing.run(task));
          } catch (Throwable failure) {
            result.completeExceptionally(failure);
          }
        });
    return caller == null
        ? Future.fromCompletionStage(result)
        : Future.fromCompletionStage(result, caller);
  }

  /** How long snapshot work has been held back for online reads since the start, in seconds. */
  public double heldSeconds() {
    return pacing.heldNanos() / 1e9;
  }

  /** Takes no more work; a piece already running finishes on its (daemon) thread. */
  @Override
  public void close() {
    threads.shutdown();
  }

  /**
   * Java's thread priorities do nothing on Linux by default; the thread's own nice value does.
   * Where there is no {@code /proc/thread-self} or no {@code renice}, the thread keeps the default.
   */
  private static void lowerPriority() {
    try {
      Path self = Path.of("/proc/thread-self");
      if (!Files.exists(self)) {
        return;
      }
      String tid = Files.readSymbolicLink(self).getFileName().toString();
      Process renice =
          new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!renice.waitFor(5, TimeUnit.SECONDS)) {
        renice.destroy();
      }
    } catch (Exception e) {
      LOG.log(System.Logger.Level.DEBUG, "snapshot thread keeps its priority: " + e);
    }
  }
}
