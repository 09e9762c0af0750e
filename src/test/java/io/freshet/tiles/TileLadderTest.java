package io.freshet.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TileLadderTest {

  private static final long T = 1_795_000_000_000_000L;

  /** The pieces of a cover, as ranges in time order. */
  private static List<long[]> pieces(TileLadder.Cover cover) {
    List<long[]> pieces = new ArrayList<>();
    cover.tiles().forEach(t -> pieces.add(new long[] {t.start(), t.end()}));
    cover.edges().forEach(r -> pieces.add(new long[] {r.from(), r.to()}));
    pieces.sort(Comparator.comparingLong(p -> p[0]));
    return pieces;
  }

  @Test
  void cover_isTheWindowExactly_withoutGapOrOverlap() {
    Random random = new Random(16);
    long[] windows = {
      1_000_000L,
      59_999_999L,
      TileLadder.MINUTE,
      90_000_000L,
      TileLadder.HOUR,
      TileLadder.DAY,
      7 * TileLadder.DAY,
      30 * TileLadder.DAY
    };
    for (int i = 0; i < 20_000; i++) {
      long window = windows[random.nextInt(windows.length)];
      long end =
          T
              + random.nextLong(40 * TileLadder.DAY)
                  * (random.nextBoolean() ? 1 : 60_000_000L / 60_000_000L);
      if (random.nextInt(4) == 0) {
        end = TileLadder.floorMinute(end);
      }
      long start = end - window;
      TileLadder.Cover cover = TileLadder.cover(start, end, TileLadder.levels(window));
      long at = start;
      for (long[] piece : pieces(cover)) {
        assertEquals(at, piece[0], "pieces must follow each other");
        assertTrue(piece[1] > piece[0] || (piece[0] == piece[1] && piece[0] == end));
        at = piece[1];
      }
      assertEquals(end, at);
      assertTrue(cover.tiles().size() <= 59 + 23 + 30 + 23 + 59, "tiles: " + cover.tiles().size());
      assertTrue(cover.edges().size() <= 2);
      for (TileLadder.Range edge : cover.edges()) {
        assertTrue(edge.to() - edge.from() <= TileLadder.MINUTE, "an edge is within one minute");
      }
      // What a hot read asks of each edge event, without making the ranges: the same answer.
      for (long e :
          new long[] {start - 1, start, start + 1, end - 1, end, random.nextLong(start, end)}) {
        boolean inRanges = false;
        for (TileLadder.Range edge : cover.edges()) {
          inRanges |= e >= edge.from() && e < edge.to();
        }
        assertEquals(inRanges, TileLadder.inEdges(start, end, e), "event at " + e);
      }
    }
  }

  @Test
  void cover_ofAWindowWithinOneMinute_isOneRange() {
    long minute = TileLadder.floorMinute(T);
    TileLadder.Cover cover = TileLadder.cover(minute + 1, minute + 30_000_000L, 1);
    assertEquals(List.of(), cover.tiles());
    assertEquals(List.of(new TileLadder.Range(minute + 1, minute + 30_000_000L)), cover.edges());
  }

  @Test
  void cover_dependsOnlyOnTheMinutesOfItsEnds() {
    long end = TileLadder.floorMinute(T) + 5;
    TileLadder.Cover a = TileLadder.cover(end - 30 * TileLadder.DAY, end, 3);
    TileLadder.Cover b =
        TileLadder.cover(end + 50_000_000L - 30 * TileLadder.DAY, end + 50_000_000L, 3);
    assertEquals(a.tiles(), b.tiles());
  }

  @Test
  void cover_ofThirtyDays_usesDayTiles() {
    long end = TileLadder.floorMinute(T) + 17;
    TileLadder.Cover cover = TileLadder.cover(end - 30 * TileLadder.DAY, end, 3);
    assertTrue(cover.tiles().stream().filter(t -> t.level() == 2).count() >= 28);
  }

  @Test
  void levels_stopBelowTheLongestWindow() {
    assertEquals(1, TileLadder.levels(TileLadder.MINUTE * 59));
    assertEquals(2, TileLadder.levels(TileLadder.HOUR));
    assertEquals(2, TileLadder.levels(TileLadder.DAY - 1));
    assertEquals(3, TileLadder.levels(30 * TileLadder.DAY));
  }
}
