package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SnapshotWorkersTest {

  @Test
  void threads_runBelowTheEventLoopsPriority() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self")), "no /proc/thread-self: not Linux");
    assumeTrue(
        new ProcessBuilder("renice", "--version").start().waitFor() == 0, "no renice on the PATH");
    try (SnapshotWorkers workers = new SnapshotWorkers(1, WorkPacing.none())) {
      // Field 19 of a thread's stat line is its nice value (the name, field 2, holds no space).
      String stat = workers.run(() -> Files.readString(Path.of("/proc/thread-self/stat"))).await();
      assertEquals("10", stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }
  }

  @Test
  void failures_reachTheCallerAsThrown(Vertx vertx) {
    IllegalStateException thrown = new IllegalStateException("bad chunk");
    try (SnapshotWorkers workers = new SnapshotWorkers(1, WorkPacing.none())) {
      Throwable failure =
          workers
              .run(
                  () -> {
                    throw thrown;
                  })
              .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
              .await();
      assertSame(thrown, failure);
    }
  }
}
