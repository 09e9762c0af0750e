package io.freshet.cli;

import java.io.PrintStream;

/**
 * How far a long command has got: a bar redrawn in place on a terminal, a plain line at most once a
 * second otherwise (a log or a CI job), and the total with its rate at the end.
 */
final class Progress {

  private static final int BAR = 30;
  private static final long PLAIN_EVERY_NANOS = 1_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final String what;
  private final long total;
  private final long started = System.nanoTime();
  // A command that takes less than a second prints no progress line at all.
  private long lastPlain = started;

  /** {@code total}: the units done at the end (bytes of a file), or 0 when not known. */
  Progress(CliContext context, String what, long total) {
    this.out = context.err();
    this.terminal = context.terminal();
    this.what = what;
    this.total = total;
  }

  /** {@code done} of the total so far, {@code count} items (rows) so far. */
  void update(long done, long count) {
    long now = System.nanoTime();
    String rate = String.format("%,d %s, %,.0f/s", count, what, perSecond(count, now));
    if (terminal) {
      String bar = "";
      if (total > 0) {
        long percent = Math.min(100, 100 * done / total);
        int filled = (int) (BAR * percent / 100);
        bar = String.format("[%s%s] %3d%% ", "#".repeat(filled), " ".repeat(BAR - filled), percent);
      }
      out.print("\r" + bar + rate + "   ");
      out.flush();
    } else if (now - lastPlain >= PLAIN_EVERY_NANOS) {
      lastPlain = now;
      out.println(total > 0 ? rate + " (" + Math.min(100, 100 * done / total) + "%)" : rate);
    }
  }

  /** Ends the bar; answers the seconds taken. */
  double finish() {
    if (terminal) {
      out.println();
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private double perSecond(long count, long now) {
    double seconds = Math.max(1e-3, (now - started) / 1e9);
    return count / seconds;
  }
}
