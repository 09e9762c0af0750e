package io.freshet.tiles;

import io.freshet.aggregation.Partial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What one entity's windows need while the minutes their ends fall in stay the same: per
 * aggregation the merged partial of its whole tiles, and the events of its first and last minutes.
 * A value at any instant of those minutes is then the merged tiles plus the edge events that fall
 * in the window, to the microsecond: no tile is read twice, and no event of the middle at all. This
 * is what the hot tier holds, and what a read from Redis or Postgres builds.
 */
final class EntityWindows {

  /** What a window that counts no edge event counts of them; never changed. */
  private static final BitSet NONE_COUNTED = new BitSet(0);

  private final ViewTiles view;
  private final long from;
  private final long until;

  /** Null when there are no edge events, every value then being computed at once. */
  private final Partial[] middle;

  private final long[] middleNewest;
  private final List<TileEvent> edgeEvents;
  private final Computed[] computed;

  private EntityWindows(
      ViewTiles view,
      long from,
      long until,
      Partial[] middle,
      long[] middleNewest,
      List<TileEvent> edgeEvents) {
    this.view = view;
    this.from = from;
    this.until = until;
    this.edgeEvents = edgeEvents;
    this.computed = new Computed[view.size()];
    // Without edge events every instant of the stretch has the same values: worked out here, they
    // are all the hot tier keeps, not the partials (sets, exact sums), which each young collection
    // would otherwise copy for every entity fetched since the one before (BENCHMARKS.md, "Event
    // views:
    // hot entries that hold values").
    boolean settled = edgeEvents.isEmpty();
    if (settled) {
      for (int i = 0; i < view.size(); i++) {
        computed[i] = new Computed(NONE_COUNTED, middle[i].value(), middleNewest[i]);
      }
    }
    this.middle = settled ? null : middle;
    this.middleNewest = settled ? null : middleNewest;
  }

  /**
   * What the windows at an instant take: each aggregation's whole tiles, and the edge minutes (the
   * first microsecond of each minute they read event by event, ascending).
   */
  record Takes(List<List<TileLadder.Tile>> covers, long[] edgeMinutes) {

    static Takes at(ViewTiles view, long nowMicros) {
      List<List<TileLadder.Tile>> covers = new ArrayList<>(view.size());
      Set<Long> minutes = new HashSet<>();
      minutes.add(TileLadder.floorMinute(nowMicros));
      for (int i = 0; i < view.size(); i++) {
        long start = nowMicros - view.window(i);
        covers.add(List.copyOf(TileLadder.cover(start, nowMicros, view.levels()).tiles()));
        minutes.add(TileLadder.floorMinute(start));
      }
      return new Takes(List.copyOf(covers), ascending(minutes));
    }
  }

  /**
   * The windows at {@code nowMicros}, which take {@code takes}, from the entity's tiles ({@code
   * tiles} answers null for a tile with no events) and the events of the edge minutes; of {@code
   * events}, those of other minutes are left out.
   */
  static EntityWindows build(
      ViewTiles view,
      long nowMicros,
      Takes takes,
      Function<TileLadder.Tile, TileVector> tiles,
      List<TileEvent> events) {
    long[] edgeMinutes = takes.edgeMinutes();
    List<TileEvent> edgeEvents = new ArrayList<>(events.size());
    for (TileEvent event : events) {
      if (Arrays.binarySearch(edgeMinutes, TileLadder.floorMinute(event.eventMicros())) >= 0) {
        edgeEvents.add(event);
      }
    }
    Partial[] middle = new Partial[view.size()];
    long[] middleNewest = new long[view.size()];
    for (int i = 0; i < view.size(); i++) {
      middle[i] = view.aggregator(i).empty();
      middleNewest[i] = WindowValues.NONE;
      for (TileLadder.Tile tile : takes.covers().get(i)) {
        TileVector vector = tiles.apply(tile);
        if (vector != null) {
          middle[i].merge(vector.partial(i));
          middleNewest[i] = Math.max(middleNewest[i], vector.newest());
        }
      }
    }
    return new EntityWindows(
        view,
        stretchStart(view, nowMicros),
        until(view, nowMicros),
        middle,
        middleNewest,
        edgeEvents);
  }

  /**
   * The first instant whose window ends fall in the minutes {@code nowMicros}'s do: those of the
   * head minute and, for each window, those whose start falls in the minute now's start falls in.
   */
  static long stretchStart(ViewTiles view, long nowMicros) {
    long from = TileLadder.floorMinute(nowMicros);
    for (int i = 0; i < view.size(); i++) {
      from = Math.max(from, TileLadder.floorMinute(nowMicros - view.window(i)) + view.window(i));
    }
    return from;
  }

  /** The first instant past {@code nowMicros} whose window ends fall in other minutes. */
  private static long until(ViewTiles view, long nowMicros) {
    long until = TileLadder.floorMinute(nowMicros) + TileLadder.MINUTE;
    for (int i = 0; i < view.size(); i++) {
      until =
          Math.min(
              until,
              TileLadder.floorMinute(nowMicros - view.window(i))
                  + TileLadder.MINUTE
                  + view.window(i));
    }
    return until;
  }

  /**
   * {@code nowMicros}, then each instant before {@code endMicros} at which the windows' minutes
   * change: where windows built for each take over from those of the one before.
   */
  static long[] instants(ViewTiles view, long nowMicros, long endMicros) {
    List<Long> instants = new ArrayList<>();
    for (long at = nowMicros; at < endMicros; at = until(view, at)) {
      instants.add(at);
    }
    return instants.stream().mapToLong(Long::longValue).toArray();
  }

  /** The first microsecond of each minute, in order, as a sorted array. */
  static long[] ascending(Set<Long> minutes) {
    return minutes.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** Whether these windows answer for {@code nowMicros}: its minutes are the ones they were for. */
  boolean servesAt(long nowMicros) {
    return nowMicros >= from && nowMicros < until;
  }

  /** Every aggregation's value at {@code nowMicros}, one of the instants it {@link #servesAt}. */
  WindowValues at(long nowMicros, String tier) {
    Object[] values = new Object[view.size()];
    long[] newest = new long[view.size()];
    for (int i = 0; i < view.size(); i++) {
      long start = nowMicros - view.window(i);
      Computed held = computed[i];
      if (held == null || !countsTheSame(held.counted(), start, nowMicros)) {
        held = compute(i, counted(start, nowMicros));
        computed[i] = held;
      }
      values[i] = held.value();
      newest[i] = held.newest();
    }
    return new WindowValues(values, newest, tier);
  }

  /** The edge events the window {@code [start, end)} counts. */
  private BitSet counted(long start, long end) {
    BitSet counted = new BitSet(edgeEvents.size());
    for (int e = 0; e < edgeEvents.size(); e++) {
      if (TileLadder.inEdges(start, end, edgeEvents.get(e).eventMicros())) {
        counted.set(e);
      }
    }
    return counted;
  }

  /**
   * Whether the window {@code [start, end)} counts just these edge events. Asked of every
   * aggregation of every hot read, so it makes nothing.
   */
  private boolean countsTheSame(BitSet counted, long start, long end) {
    for (int e = 0; e < edgeEvents.size(); e++) {
      if (TileLadder.inEdges(start, end, edgeEvents.get(e).eventMicros()) != counted.get(e)) {
        return false;
      }
    }
    return true;
  }

  /**
   * An aggregation's value with these edge events counted. Rounding an exact sum once costs more
   * than a hot read's other work, and a window counts the same edge events from one event time to
   * the next, so the value is kept for as long as it does.
   */
  private Computed compute(int aggregation, BitSet counted) {
    Partial partial = middle[aggregation];
    long newest = middleNewest[aggregation];
    if (!counted.isEmpty()) {
      partial = partial.copy();
      for (int e = counted.nextSetBit(0); e >= 0; e = counted.nextSetBit(e + 1)) {
        TileEvent event = edgeEvents.get(e);
        partial.add(
            view.input(aggregation, event),
            event.eventMicros(),
            event.ingestedMicros(),
            event.sequence());
        newest = Math.max(newest, event.eventMicros());
      }
    }
    return new Computed(counted, partial.value(), newest);
  }

  /**
   * What an aggregation was last computed as, for which edge events. Immutable, so readers on other
   * threads see a whole one or none.
   */
  private record Computed(BitSet counted, Object value, long newest) {}
}
