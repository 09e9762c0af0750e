package io.freshet.tiles;

import java.util.ArrayList;
import java.util.List;

/**
 * The tile sizes every event view uses, aligned on the epoch in UTC: a minute, an hour, a day. An
 * event is counted in one tile of each level a view keeps; a window {@code [start, end)} is then
 * the aligned tiles between its first and last minute, largest first (at most 59 minutes, 23 hours,
 * the days, 23 hours and 59 minutes), plus the events of its first and last minute themselves,
 * filtered to the exact microsecond. Which tiles a window takes depends only on the minutes its
 * ends fall in, so one reading of them serves every instant of those minutes.
 */
public final class TileLadder {

  public static final long MINUTE = 60_000_000L;
  public static final long HOUR = 60 * MINUTE;
  public static final long DAY = 24 * HOUR;

  /** Levels from the smallest. */
  static final long[] SIZES = {MINUTE, HOUR, DAY};

  private TileLadder() {}

  /** One tile: its level (index into the sizes) and its number since the epoch at that level. */
  public record Tile(int level, long index) {

    public long start() {
      return index * SIZES[level];
    }

    public long end() {
      return start() + SIZES[level];
    }
  }

  /** A half-open range of event times, {@code [from, to)}, read event by event. */
  public record Range(long from, long to) {}

  /** How a window is read: whole tiles, and the ranges at its two ends read event by event. */
  public record Cover(List<Tile> tiles, List<Range> edges) {}

  public static long floorMinute(long micros) {
    return Math.floorDiv(micros, MINUTE) * MINUTE;
  }

  /** The tile of {@code level} an event at {@code eventMicros} is counted in. */
  public static Tile tileOf(int level, long eventMicros) {
    return new Tile(level, Math.floorDiv(eventMicros, SIZES[level]));
  }

  /**
   * The levels a view whose longest window is {@code longestMicros} keeps: a tile larger than every
   * window can never lie inside one.
   */
  public static int levels(long longestMicros) {
    int levels = 1;
    while (levels < SIZES.length && SIZES[levels] <= longestMicros) {
      levels++;
    }
    return levels;
  }

  /**
   * The ranges of {@code [start, end)} read event by event: its first minute from {@code start},
   * its last up to {@code end}, or the whole window when it lies within one minute. What a read
   * needs at each instant; the tiles between them change only with the minutes.
   */
  public static List<Range> edges(long start, long end) {
    long firstMinute = floorMinute(start);
    long lastMinute = floorMinute(end);
    if (firstMinute == lastMinute) {
      return List.of(new Range(start, end));
    }
    Range first = new Range(start, firstMinute + MINUTE);
    return lastMinute < end ? List.of(first, new Range(lastMinute, end)) : List.of(first);
  }

  /** Whether {@code eventMicros} lies in one of {@link #edges}'s ranges, without making them. */
  static boolean inEdges(long start, long end, long eventMicros) {
    long firstMinute = floorMinute(start);
    long lastMinute = floorMinute(end);
    if (firstMinute == lastMinute) {
      return eventMicros >= start && eventMicros < end;
    }
    return (eventMicros >= start && eventMicros < firstMinute + MINUTE)
        || (eventMicros >= lastMinute && eventMicros < end);
  }

  /**
   * The window {@code [start, end)}: its first minute (from {@code start}) and its last (up to
   * {@code end}) event by event, everything between them as whole tiles of at most {@code levels}
   * levels. A window within one minute is one range.
   */
  public static Cover cover(long start, long end, int levels) {
    List<Range> edges = edges(start, end);
    long firstMinute = floorMinute(start);
    long lastMinute = floorMinute(end);
    if (firstMinute == lastMinute) {
      return new Cover(List.of(), edges);
    }
    List<Tile> tiles = new ArrayList<>();
    long at = firstMinute + MINUTE;
    while (at < lastMinute) {
      int level = levels - 1;
      while (level > 0
          && (Math.floorMod(at, SIZES[level]) != 0 || at + SIZES[level] > lastMinute)) {
        level--;
      }
      tiles.add(tileOf(level, at));
      at += SIZES[level];
    }
    return new Cover(tiles, edges);
  }
}
