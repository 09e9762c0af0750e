package io.freshet.pit;

import java.util.Arrays;

/**
 * As known at each row: the records of one entity that a label row still to come could use, in scan
 * order (ascending event time) with strictly increasing ingestion times. A record ingested no later
 * than one before it hides that one from every row, since any row that knew the older knows the
 * newer, which is also the later in (event, ingested) order; and a row that used an entry hides the
 * entries below it from the later rows of the entity, whose times are no earlier. Rows are asked
 * for before the first record after their time arrives, so every entry's event time is at or before
 * the row's.
 */
final class KnownRecords {

  static final int NONE = -1;

  /** Decodes a record into the join's records; answers its slot there. */
  interface Decoder {
    int decode(long eventMicros, String storedValues);
  }

  private long[] events = new long[8];
  private long[] ingested = new long[8];
  private String[] values = new String[8];
  private int[] slots = new int[8];
  private int base;
  private int top;

  void push(long event, long ingestedAt, String storedValues) {
    while (top > base && ingested[top - 1] >= ingestedAt) {
      values[--top] = null;
    }
    if (top == events.length) {
      room();
    }
    events[top] = event;
    ingested[top] = ingestedAt;
    values[top] = storedValues;
    slots[top++] = NONE;
  }

  /**
   * The slot of the last record ingested at or before {@code atMicros}, decoded on first use; NONE
   * when none was known yet.
   */
  int slotAt(long atMicros, Decoder decoder) {
    int low = base;
    int high = top - 1;
    int found = NONE;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (ingested[mid] <= atMicros) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (found == NONE) {
      return NONE;
    }
    Arrays.fill(values, base, found, null);
    base = found;
    if (slots[found] == NONE) {
      slots[found] = decoder.decode(events[found], values[found]);
    }
    return slots[found];
  }

  /** Forgets the entity: the next record starts another. */
  void clear() {
    Arrays.fill(values, 0, top, null);
    base = 0;
    top = 0;
  }

  /** Drops the entries no row can use any more, or grows when every entry is still live. */
  private void room() {
    if (base > 0) {
      int live = top - base;
      System.arraycopy(events, base, events, 0, live);
      System.arraycopy(ingested, base, ingested, 0, live);
      System.arraycopy(values, base, values, 0, live);
      System.arraycopy(slots, base, slots, 0, live);
      Arrays.fill(values, live, top, null);
      base = 0;
      top = live;
      return;
    }
    int capacity = events.length * 2;
    events = Arrays.copyOf(events, capacity);
    ingested = Arrays.copyOf(ingested, capacity);
    values = Arrays.copyOf(values, capacity);
    slots = Arrays.copyOf(slots, capacity);
  }
}
