package io.freshet.tiles;

import io.freshet.aggregation.Partial;
import java.util.List;
import java.util.function.Function;

/**
 * What one entity's windows need while the minutes their ends fall in stay the same: per
 * aggregation the merged partial of its whole tiles, and the events of its first and last minutes.
 * A value at any instant of those minutes is then the merged tiles plus the edge events that fall
 * in the window, to the microsecond: no tile is read twice, and no event of the middle at all. This
 * is what the hot tier holds, and what a read from Redis or Postgres builds.
 */
final class EntityWindows {

  private final ViewTiles view;
  private final long headMinute;
  private final long[] tailMinutes;
  private final Partial[] middle;
  private final long[] middleNewest;
  private final List<TileEvent> edgeEvents;

  private EntityWindows(
      ViewTiles view,
      long headMinute,
      long[] tailMinutes,
      Partial[] middle,
      long[] middleNewest,
      List<TileEvent> edgeEvents) {
    this.view = view;
    this.headMinute = headMinute;
    this.tailMinutes = tailMinutes;
    this.middle = middle;
    this.middleNewest = middleNewest;
    this.edgeEvents = edgeEvents;
  }

  /**
   * The windows at {@code nowMicros} from the entity's tiles ({@code tiles} answers null for a tile
   * with no events) and the events of the edge minutes ({@link #edgeMinutes}).
   */
  static EntityWindows build(
      ViewTiles view,
      long nowMicros,
      Function<TileLadder.Tile, TileVector> tiles,
      List<TileEvent> edgeEvents) {
    long[] tailMinutes = new long[view.size()];
    Partial[] middle = new Partial[view.size()];
    long[] middleNewest = new long[view.size()];
    for (int i = 0; i < view.size(); i++) {
      long start = nowMicros - view.window(i);
      tailMinutes[i] = TileLadder.floorMinute(start);
      middle[i] = view.aggregator(i).empty();
      middleNewest[i] = WindowValues.NONE;
      for (TileLadder.Tile tile : TileLadder.cover(start, nowMicros, view.levels()).tiles()) {
        TileVector vector = tiles.apply(tile);
        if (vector != null) {
          middle[i].merge(vector.partial(i));
          middleNewest[i] = Math.max(middleNewest[i], vector.newest());
        }
      }
    }
    return new EntityWindows(
        view, TileLadder.floorMinute(nowMicros), tailMinutes, middle, middleNewest, edgeEvents);
  }

  /** The tiles the windows at {@code nowMicros} take, each once. */
  static java.util.Set<TileLadder.Tile> tiles(ViewTiles view, long nowMicros) {
    java.util.Set<TileLadder.Tile> tiles = new java.util.LinkedHashSet<>();
    for (int i = 0; i < view.size(); i++) {
      tiles.addAll(TileLadder.cover(nowMicros - view.window(i), nowMicros, view.levels()).tiles());
    }
    return tiles;
  }

  /** The first microsecond of every minute the windows at {@code nowMicros} read event by event. */
  static long[] edgeMinutes(ViewTiles view, long nowMicros) {
    java.util.TreeSet<Long> minutes = new java.util.TreeSet<>();
    minutes.add(TileLadder.floorMinute(nowMicros));
    for (int i = 0; i < view.size(); i++) {
      minutes.add(TileLadder.floorMinute(nowMicros - view.window(i)));
    }
    return minutes.stream().mapToLong(Long::longValue).toArray();
  }

  /** Whether these windows answer for {@code nowMicros}: its minutes are the ones they were for. */
  boolean servesAt(long nowMicros) {
    if (TileLadder.floorMinute(nowMicros) != headMinute) {
      return false;
    }
    for (int i = 0; i < tailMinutes.length; i++) {
      if (TileLadder.floorMinute(nowMicros - view.window(i)) != tailMinutes[i]) {
        return false;
      }
    }
    return true;
  }

  /** Every aggregation's value at {@code nowMicros}, one of the instants it {@link #servesAt}. */
  WindowValues at(long nowMicros, String tier) {
    Object[] values = new Object[view.size()];
    long[] newest = new long[view.size()];
    for (int i = 0; i < view.size(); i++) {
      List<TileLadder.Range> edges =
          TileLadder.cover(nowMicros - view.window(i), nowMicros, view.levels()).edges();
      Partial partial = middle[i];
      newest[i] = middleNewest[i];
      for (TileEvent event : edgeEvents) {
        if (inAny(edges, event.eventMicros())) {
          if (partial == middle[i]) {
            partial = partial.copy();
          }
          partial.add(
              view.input(i, event), event.eventMicros(), event.ingestedMicros(), event.sequence());
          newest[i] = Math.max(newest[i], event.eventMicros());
        }
      }
      values[i] = partial.value();
    }
    return new WindowValues(values, newest, tier);
  }

  private static boolean inAny(List<TileLadder.Range> ranges, long eventMicros) {
    for (TileLadder.Range range : ranges) {
      if (range.contains(eventMicros)) {
        return true;
      }
    }
    return false;
  }
}
