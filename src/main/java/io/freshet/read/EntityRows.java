package io.freshet.read;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entities of an online request, column-wise: for each join key, its values in request order.
 * Every column has the same length; row {@code i} is the i-th value of each. Each key's text (as
 * tiers store it) and its first row are worked out once here, so a request naming an entity twice
 * looks it up once.
 */
final class EntityRows {

  private final String[] joinKeys;
  private final Object[][] keys;
  private final String[][] texts;
  private final int[][] firstRow;
  private final int size;

  EntityRows(Map<String, List<Object>> byJoinKey, int size) {
    Map<String, List<Object>> ordered = new LinkedHashMap<>(byJoinKey);
    this.size = size;
    this.joinKeys = ordered.keySet().toArray(new String[0]);
    this.keys = new Object[joinKeys.length][];
    this.texts = new String[joinKeys.length][];
    this.firstRow = new int[joinKeys.length][];
    for (int k = 0; k < joinKeys.length; k++) {
      keys[k] = ordered.get(joinKeys[k]).toArray();
      texts[k] = new String[size];
      firstRow[k] = new int[size];
      Map<String, Integer> seen = size > 1 ? new HashMap<>() : null;
      for (int row = 0; row < size; row++) {
        texts[k][row] = keys[k][row].toString();
        Integer first = seen == null ? null : seen.putIfAbsent(texts[k][row], row);
        firstRow[k][row] = first == null ? row : first;
      }
    }
  }

  int size() {
    return size;
  }

  /** The request's join keys, in its order. */
  String[] joinKeys() {
    return joinKeys;
  }

  /** The position of a join key in {@link #joinKeys()}, or -1 when the request lacks it. */
  int joinKey(String name) {
    for (int k = 0; k < joinKeys.length; k++) {
      if (joinKeys[k].equals(name)) {
        return k;
      }
    }
    return -1;
  }

  /** Row {@code row}'s key for join key {@code k}: a Long or a String. */
  Object key(int k, int row) {
    return keys[k][row];
  }

  /** The key as tiers store it: the decimal form of an int64, a string as it is. */
  String text(int k, int row) {
    return texts[k][row];
  }

  /** The first row with the same key as {@code row} for join key {@code k}. */
  int firstRow(int k, int row) {
    return firstRow[k][row];
  }
}
