package io.freshet.tiles;

import io.freshet.aggregation.Aggregator;
import io.freshet.model.RecordShape;
import io.freshet.registry.AggregationDef;
import io.freshet.registry.FeatureView;
import java.util.List;

/**
 * What tiles need of one event view, worked out once: its aggregations' arithmetic, windows and
 * input fields, its longest window (how long a tile stays in some window) and the tile levels it
 * keeps.
 */
public final class ViewTiles {

  /** Margin past a window before a tile group or marker expires: clocks of instances differ. */
  static final long EXPIRY_MARGIN_MICROS = TileLadder.MINUTE;

  private final FeatureView view;
  private final Aggregator[] aggregators;
  private final long[] windows;
  private final int[] inputs;
  private final long longest;
  private final int levels;

  public ViewTiles(FeatureView view) {
    this.view = view;
    List<AggregationDef> aggregations = view.aggregations();
    RecordShape fields = view.fieldShape();
    this.aggregators = new Aggregator[aggregations.size()];
    this.windows = new long[aggregations.size()];
    this.inputs = new int[aggregations.size()];
    long longestWindow = 0;
    for (int i = 0; i < aggregators.length; i++) {
      AggregationDef aggregation = aggregations.get(i);
      aggregators[i] = aggregation.aggregator();
      windows[i] = aggregation.windowMicros();
      inputs[i] = aggregation.of() == null ? -1 : fields.position(aggregation.of());
      longestWindow = Math.max(longestWindow, windows[i]);
    }
    this.longest = longestWindow;
    this.levels = TileLadder.levels(longestWindow);
  }

  public FeatureView view() {
    return view;
  }

  public String name() {
    return view.name();
  }

  public int size() {
    return aggregators.length;
  }

  Aggregator aggregator(int aggregation) {
    return aggregators[aggregation];
  }

  public long window(int aggregation) {
    return windows[aggregation];
  }

  /** The value aggregation {@code i} reads from an event (null for {@code count}). */
  Object input(int aggregation, TileEvent event) {
    return inputs[aggregation] < 0 ? null : event.fields()[inputs[aggregation]];
  }

  long longest() {
    return longest;
  }

  int levels() {
    return levels;
  }

  /** Whether a tile is past every window of the view at {@code nowMicros}: it is never read. */
  boolean leftEveryWindow(TileLadder.Tile tile, long nowMicros) {
    return tile.end() + longest <= nowMicros;
  }

  /** The Redis group name of a tile: its level's letter and group number. */
  static String groupName(TileLadder.Tile tile) {
    return "mhd".charAt(tile.level()) + Long.toString(tile.group());
  }

  static String fieldName(TileLadder.Tile tile) {
    return Long.toString(tile.index());
  }

  /** Milliseconds from now until no window of the view reaches any tile of the tile's group. */
  long groupTtlMs(TileLadder.Tile tile, long nowMicros) {
    long groupEnd =
        (tile.group() + 1) * TileLadder.PER_GROUP[tile.level()] * TileLadder.SIZES[tile.level()];
    return Math.max(1, (groupEnd + longest + EXPIRY_MARGIN_MICROS - nowMicros) / 1000);
  }

  /** How long the marker lives after a write or rebuild: past the longest window. */
  long markerTtlMs() {
    return (longest + TileLadder.HOUR) / 1000;
  }
}
