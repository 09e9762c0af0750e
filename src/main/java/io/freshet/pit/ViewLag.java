package io.freshet.pit;

import io.freshet.model.CellMeta;
import java.util.Arrays;

/**
 * An event view's stream as serving saw it over time: after each batch it received, the newest
 * event time it had received so far. An aggregation's age at a row is the row's time less that.
 */
final class ViewLag {

  private final long[] ingested;
  private final long[] newest;

  /**
   * {@code ingested}, ascending, and each batch's newest event time, aligned; kept only where the
   * newest so far moves.
   */
  ViewLag(long[] ingested, long[] batchNewest) {
    long[] at = new long[ingested.length];
    long[] running = new long[ingested.length];
    int size = 0;
    long sofar = CellMeta.NO_EVENT;
    for (int i = 0; i < ingested.length; i++) {
      if (batchNewest[i] > sofar) {
        sofar = batchNewest[i];
        at[size] = ingested[i];
        running[size++] = sofar;
      }
    }
    this.ingested = Arrays.copyOf(at, size);
    this.newest = Arrays.copyOf(running, size);
  }

  /** The newest event time received by {@code atMicros}, or {@link CellMeta#NO_EVENT}. */
  long newestReceived(long atMicros) {
    int found = Arrays.binarySearch(ingested, atMicros);
    int last = found >= 0 ? found : -found - 2;
    return last < 0 ? CellMeta.NO_EVENT : newest[last];
  }
}
