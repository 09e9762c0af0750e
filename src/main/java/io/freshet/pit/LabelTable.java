package io.freshet.pit;

import io.freshet.encoding.LabelRows;
import java.util.Arrays;

/**
 * A request's label rows in input order, by column: each row's time and, per join key, the key's
 * dictionary id. Everything a snapshot computes is indexed by row number here, so output order is
 * input order whatever order the join worked in.
 */
public final class LabelTable implements LabelRows {

  private final KeyColumn[] keys;
  private long[] atMicros = new long[1024];
  private int size;

  public LabelTable(int joinKeys) {
    this.keys = new KeyColumn[joinKeys];
    for (int k = 0; k < joinKeys; k++) {
      keys[k] = new KeyColumn();
    }
  }

  /** Appends a row; {@code rowKeys} is aligned with the request's join keys. */
  void add(Object[] rowKeys, long at) {
    if (size == atMicros.length) {
      atMicros = Arrays.copyOf(atMicros, size * 2);
    }
    for (int k = 0; k < keys.length; k++) {
      keys[k].set(size, rowKeys[k]);
    }
    atMicros[size++] = at;
  }

  public int size() {
    return size;
  }

  @Override
  public long at(int row) {
    return atMicros[row];
  }

  @Override
  public Object keyOf(int row, int joinKey) {
    KeyColumn column = keys[joinKey];
    return column.key(column.id(row));
  }

  KeyColumn key(int joinKey) {
    return keys[joinKey];
  }

  @Override
  public int joinKeys() {
    return keys.length;
  }
}
