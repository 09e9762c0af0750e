package io.freshet.tiles;

import io.freshet.aggregation.Aggregator;
import io.freshet.model.RecordShape;
import io.freshet.model.TierKey;
import io.freshet.registry.AggregationDef;
import io.freshet.registry.FeatureView;
import io.freshet.tier.TileStore;
import java.util.List;

/**
 * What tiles need of one event view, worked out once: its aggregations' arithmetic, windows and
 * input fields, its longest window (how long a tile stays in some window) and the tile levels it
 * keeps.
 */
public final class ViewTiles {

  /** Margin past a window before a tile is trimmed: clocks of instances differ. */
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

  /** A tile's field in its entity's Redis hash: its level's letter and number. */
  static String fieldName(TileLadder.Tile tile) {
    return "mhd".charAt(tile.level()) + Long.toString(tile.index());
  }

  /**
   * The minute before which, at {@code nowMicros}, every tile has left every window with a margin
   * for the clocks of other instances: what a write trims from Redis.
   */
  private long trimBeforeMinute(long nowMicros) {
    return Math.floorDiv(nowMicros - longest - EXPIRY_MARGIN_MICROS, TileLadder.MINUTE);
  }

  /**
   * Tiles of an entity to set in Redis at {@code nowMicros}, if its generation is still {@code
   * generation}: after it they live past the longest window, and those that left every window go.
   */
  TileStore.Change change(
      TierKey entity, String generation, List<String> fields, List<byte[]> values, long nowMicros) {
    return new TileStore.Change(
        entity,
        generation,
        fields,
        values,
        (longest + TileLadder.HOUR) / 1000,
        trimBeforeMinute(nowMicros),
        levels);
  }
}
