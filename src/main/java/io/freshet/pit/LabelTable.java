package io.freshet.pit;

import io.freshet.encoding.LabelField;
import io.freshet.encoding.LabelRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request's label rows in input order, by column: each row's time, per join key the key's
 * dictionary id, and the fields of their own the rows pass through (named by the first row).
 * Everything a snapshot computes is indexed by row number here, so output order is input order
 * whatever order the join worked in.
 */
public final class LabelTable implements LabelRows {

  private final KeyColumn[] keys;
  private final List<LabelField> fields = new ArrayList<>();
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

  /** The passed-through field of that name, or null while no row has named it. */
  LabelField field(String name) {
    for (LabelField field : fields) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    return null;
  }

  LabelField addField(String name) {
    LabelField field = new LabelField(name);
    fields.add(field);
    return field;
  }

  List<String> fieldNames() {
    List<String> names = new ArrayList<>(fields.size());
    fields.forEach(f -> names.add(f.name()));
    return names;
  }

  @Override
  public List<LabelField> labelFields() {
    return fields;
  }

  @Override
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
