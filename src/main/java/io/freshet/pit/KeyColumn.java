package io.freshet.pit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One join key of a request's label rows, dictionary-encoded: each distinct key gets a small id, a
 * row holds only the id. A million rows over a hundred thousand customers cost four bytes a row
 * plus one entry per customer, and the as-of join groups rows by id without hashing again.
 */
final class KeyColumn {

  private final LongIds longIds = new LongIds();
  private final Map<Object, Integer> ids = new HashMap<>();
  private final List<Object> keys = new ArrayList<>();
  private int[] rowIds = new int[1024];

  void set(int row, Object key) {
    if (row == rowIds.length) {
      rowIds = Arrays.copyOf(rowIds, rowIds.length * 2);
    }
    int id;
    if (key instanceof Long) {
      id = longIds.idOf((Long) key, keys.size());
    } else {
      id = ids.computeIfAbsent(key, k -> keys.size());
    }
    if (id == keys.size()) {
      keys.add(key);
    }
    rowIds[row] = id;
  }

  /** The id of a row's key. */
  int id(int row) {
    return rowIds[row];
  }

  /** The key (a Long or a String) with that id. */
  Object key(int id) {
    return keys.get(id);
  }

  int distinct() {
    return keys.size();
  }
}
