package io.freshet.pit;

import io.freshet.aggregation.Sliding;
import io.freshet.registry.AggregationDef;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One entity's aggregations slid forward through its events, in one pass: events are offered in
 * time order, label times are visited ascending, and each aggregation's window takes in the events
 * before the time and lets go of those older than its length. No row sums its window again, and
 * only the events some window may still need are held.
 *
 * <p>As known at each row, an event counts only from its {@code ingested_at} on: one ingested after
 * a row's time waits (in order of ingestion) and joins each window that still covers it once a
 * later row's time reaches its ingestion.
 */
final class EntityWindows {

  /** The meta of an aggregation with no event in its window. */
  static final long NO_EVENT = Long.MIN_VALUE;

  private final Sliding[] windows;
  private final long[] lengths;
  private final int[] fieldOf;
  private final boolean asKnownAtRow;
  private final long longest;

  // The events held, from absolute index `base` on; `size` of them.
  private long[] events = new long[64];
  private long[] ingested = new long[64];
  private int[] sequences = new int[64];
  private Object[][] values = new Object[64][];
  private long[] addedTo = new long[64];
  private int base;
  private int size;

  /** Absolute index of the next event not yet looked at by any window. */
  private int looked;

  /** Per aggregation, the absolute index of the oldest event it may still hold. */
  private final int[] heads;

  /** Per aggregation, the newest event time it took in. */
  private final long[] newest;

  /**
   * Per aggregation, its value as last worked out, valid while no event entered or left it since:
   * rows of one entity often see a short window unchanged, and a deviation is dear to round.
   */
  private final Object[] cached;

  private final boolean[] current;

  /**
   * Events before the last time visited that were not yet ingested then, as {ingested_at, absolute
   * index}, by ingestion.
   */
  private final PriorityQueue<long[]> waiting =
      new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));

  /**
   * {@code fieldOf[a]}: the position of aggregation {@code a}'s field in the decoded event values,
   * -1 for {@code count}.
   */
  EntityWindows(List<AggregationDef> aggregations, int[] fieldOf, boolean asKnownAtRow) {
    if (aggregations.size() > Long.SIZE) {
      throw new IllegalArgumentException("at most 64 aggregations per view and request");
    }
    this.windows = new Sliding[aggregations.size()];
    this.lengths = new long[aggregations.size()];
    long longest = 0;
    for (int a = 0; a < windows.length; a++) {
      windows[a] = aggregations.get(a).aggregator().sliding();
      lengths[a] = aggregations.get(a).windowMicros();
      longest = Math.max(longest, lengths[a]);
    }
    this.longest = longest;
    this.fieldOf = fieldOf;
    this.asKnownAtRow = asKnownAtRow;
    this.heads = new int[windows.length];
    this.newest = new long[windows.length];
    Arrays.fill(newest, NO_EVENT);
    this.cached = new Object[windows.length];
    this.current = new boolean[windows.length];
  }

  /** The longest window: how far before its first row an entity's events are needed. */
  long longest() {
    return longest;
  }

  /** Forgets the entity's events and empties every window, for the next entity. */
  void clear() {
    for (Sliding window : windows) {
      window.clear();
    }
    Arrays.fill(newest, NO_EVENT);
    Arrays.fill(current, false);
    Arrays.fill(values, 0, size, null);
    base = 0;
    size = 0;
    looked = 0;
    Arrays.fill(heads, 0);
    waiting.clear();
  }

  /** The entity's next event, in (event time, ingested_at, position) order. */
  void offer(long event, long ingestedAt, int sequence, Object[] fields) {
    if (size == events.length) {
      compact();
    }
    events[size] = event;
    ingested[size] = ingestedAt;
    sequences[size] = sequence;
    values[size] = fields;
    addedTo[size] = 0;
    size++;
  }

  /** Moves every window to end at {@code at}: events before it in, those too old out. */
  void advanceTo(long at) {
    int end = base + size;
    while (looked < end && events[looked - base] < at) {
      if (!asKnownAtRow || ingestedAt(looked) <= at) {
        enter(looked, at);
      } else {
        waiting.add(new long[] {ingestedAt(looked), looked});
      }
      looked++;
    }
    while (!waiting.isEmpty() && waiting.peek()[0] <= at) {
      int event = (int) waiting.poll()[1];
      // One every window has let go of is older than all of them and may be gone.
      if (event >= base) {
        enter(event, at);
      }
    }
    for (int a = 0; a < windows.length; a++) {
      long start = at - lengths[a];
      long bit = 1L << a;
      int head = Math.max(heads[a], base);
      while (head < looked && events[head - base] < start) {
        int i = head - base;
        if ((addedTo[i] & bit) != 0) {
          windows[a].remove(valueOf(a, i), events[i], ingested[i], sequences[i]);
          addedTo[i] &= ~bit;
          current[a] = false;
        }
        head++;
      }
      heads[a] = head;
    }
  }

  /** The value of aggregation {@code a} over its window as last advanced. */
  Object value(int a) {
    if (!current[a]) {
      cached[a] = windows[a].value();
      current[a] = true;
    }
    return cached[a];
  }

  /** The newest event time aggregation {@code a} counts, or {@link #NO_EVENT}. */
  long newestCounted(int a, long at) {
    return newest[a] >= at - lengths[a] ? newest[a] : NO_EVENT;
  }

  private void enter(int event, long at) {
    int i = event - base;
    for (int a = 0; a < windows.length; a++) {
      if (events[i] >= at - lengths[a]) {
        windows[a].add(valueOf(a, i), events[i], ingested[i], sequences[i]);
        addedTo[i] |= 1L << a;
        current[a] = false;
        newest[a] = Math.max(newest[a], events[i]);
      }
    }
  }

  private Object valueOf(int a, int i) {
    return fieldOf[a] < 0 ? null : values[i][fieldOf[a]];
  }

  private long ingestedAt(int event) {
    return ingested[event - base];
  }

  /**
   * Drops the events every window has let go of (a waiting one among them is too old for every
   * window by now, so it can never enter one), then grows the arrays if they are still full.
   */
  private void compact() {
    int keep = looked;
    for (int head : heads) {
      keep = Math.min(keep, head);
    }
    int drop = keep - base;
    if (drop > 0) {
      System.arraycopy(events, drop, events, 0, size - drop);
      System.arraycopy(ingested, drop, ingested, 0, size - drop);
      System.arraycopy(sequences, drop, sequences, 0, size - drop);
      System.arraycopy(values, drop, values, 0, size - drop);
      System.arraycopy(addedTo, drop, addedTo, 0, size - drop);
      Arrays.fill(values, size - drop, size, null);
      base += drop;
      size -= drop;
    }
    if (size > events.length * 3 / 4) {
      int capacity = events.length * 2;
      events = Arrays.copyOf(events, capacity);
      ingested = Arrays.copyOf(ingested, capacity);
      sequences = Arrays.copyOf(sequences, capacity);
      values = Arrays.copyOf(values, capacity);
      addedTo = Arrays.copyOf(addedTo, capacity);
    }
  }
}
