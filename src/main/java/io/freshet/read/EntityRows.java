package io.freshet.read;

import java.util.List;
import java.util.Map;

/**
 * The entities of an online request, column-wise: for each join key, its values in request order.
 * Every column has the same length; row {@code i} is the i-th value of each.
 */
public record EntityRows(Map<String, List<Object>> byJoinKey, int size) {

  public EntityRows {
    byJoinKey = Map.copyOf(byJoinKey);
  }

  public Object value(String joinKey, int row) {
    return byJoinKey.get(joinKey).get(row);
  }

  /** The key as tiers store it: the decimal form of an int64, a string as it is. */
  public String keyString(String joinKey, int row) {
    return value(joinKey, row).toString();
  }
}
