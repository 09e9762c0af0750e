package io.freshet.tiles;

import io.freshet.model.CellMeta;

/**
 * One entity's aggregations at one instant: per aggregation its value and the newest event time it
 * counted ({@link Long#MIN_VALUE} when its window holds none), and the tier they came from.
 */
public record WindowValues(Object[] values, long[] newest, String tier) {

  public static final long NONE = CellMeta.NO_EVENT;
}
