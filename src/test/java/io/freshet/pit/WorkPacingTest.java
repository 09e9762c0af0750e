package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkPacingTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Time that moves only when a piece works or waits; each wait is recorded. */
  private static final class FakeTicker implements WorkPacing.Ticker {
    long now = 1_000 * MS;
    final List<Long> parks = new ArrayList<>();
    Runnable onPark = () -> {};

    @Override
    public long nanos() {
      return now;
    }

    @Override
    public void park(long nanos) {
      parks.add(nanos);
      now += nanos;
      onPark.run();
    }
  }

  /** Runs a piece that takes {@code tookNanos} and answers the time it started. */
  private static long piece(WorkPacing pacing, FakeTicker ticker, long tookNanos) throws Exception {
    return pacing.run(
        () -> {
          long started = ticker.now;
          ticker.now += tookNanos;
          return started;
        });
  }

  @Test
  void pressed_eachPieceWaitsSoThatItHadItsShareOfTheTime() throws Exception {
    FakeTicker ticker = new FakeTicker();
    WorkPacing pacing = new WorkPacing(20, () -> true, ticker);
    long first = piece(pacing, ticker, 10 * MS);
    assertEquals(1_000 * MS, first);
    // 10 ms of work at a 20% share: the next piece starts 40 ms after it ended.
    assertEquals(first + 50 * MS, piece(pacing, ticker, 5 * MS));
    assertEquals(first + 50 * MS + 5 * MS + 20 * MS, piece(pacing, ticker, 0));
    assertEquals(40 * MS + 20 * MS, pacing.heldNanos());
  }

  @Test
  void pressed_aLongRestIsWaitedInShortLooks() throws Exception {
    FakeTicker ticker = new FakeTicker();
    WorkPacing pacing = new WorkPacing(10, () -> true, ticker);
    piece(pacing, ticker, 3 * MS);
    piece(pacing, ticker, 0);
    assertEquals(List.of(10 * MS, 10 * MS, 7 * MS), ticker.parks);
  }

  @Test
  void pressureGone_theWaitingPieceStartsAtOnce_andTheNextIsNotHeld() throws Exception {
    FakeTicker ticker = new FakeTicker();
    AtomicBoolean pressed = new AtomicBoolean(true);
    WorkPacing pacing = new WorkPacing(10, pressed::get, ticker);
    long first = piece(pacing, ticker, 10 * MS);
    ticker.onPark = () -> pressed.set(false);
    assertEquals(first + 10 * MS + 10 * MS, piece(pacing, ticker, 10 * MS));
    assertEquals(first + 30 * MS, piece(pacing, ticker, 0));
    assertEquals(1, ticker.parks.size());
  }

  @Test
  void notPressed_orAWholeShare_neverWaits() throws Exception {
    FakeTicker ticker = new FakeTicker();
    WorkPacing idle = new WorkPacing(10, () -> false, ticker);
    WorkPacing whole = new WorkPacing(100, () -> true, ticker);
    for (WorkPacing pacing : List.of(idle, whole)) {
      long first = piece(pacing, ticker, 10 * MS);
      assertEquals(first + 10 * MS, piece(pacing, ticker, 10 * MS));
    }
    assertEquals(List.of(), ticker.parks);
    assertEquals(0, idle.heldNanos() + whole.heldNanos());
  }

  @Test
  void pressed_piecesOfEveryThreadRunOneAtATime_andAllFinish() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    WorkPacing pacing = new WorkPacing(50, () -> true, WorkPacing.Ticker.SYSTEM);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> pieces = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        pieces.add(
            threads.submit(
                () ->
                    pacing.run(
                        () -> {
                          most.accumulateAndGet(running.incrementAndGet(), Math::max);
                          long until = System.nanoTime() + MS / 5;
                          while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                          }
                          running.decrementAndGet();
                          return n;
                        })));
      }
      int sum = 0;
      for (Future<Integer> piece : pieces) {
        sum += piece.get(10, TimeUnit.SECONDS);
      }
      assertEquals(40 * 39 / 2, sum);
      assertEquals(1, most.get());
    } finally {
      threads.shutdownNow();
    }
  }
}
