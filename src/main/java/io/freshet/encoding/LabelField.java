package io.freshet.encoding;

import io.freshet.model.ValueType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One extra field of a request's label rows (a label, a weight, an id), passed through to every
 * output row unchanged: each row's value is kept as its JSON kind and text, so a number keeps the
 * very digits it was sent with. A row without the field holds null.
 */
public final class LabelField {

  /** The JSON kinds a passed-through value can have; objects and arrays are refused earlier. */
  public enum Kind {
    NULL,
    STRING,
    INTEGER,
    DECIMAL,
    TRUE,
    FALSE
  }

  private static final Kind[] KINDS = Kind.values();

  // Labels repeat ("0", "1", a class name); past this many distinct texts sharing stops paying.
  private static final int MAX_SHARED = 4096;

  private final String name;
  private final Map<String, String> shared = new HashMap<>();
  private byte[] kinds = new byte[0];
  private String[] texts = new String[0];
  private final boolean[] seen = new boolean[KINDS.length];

  public LabelField(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Sets row {@code row}'s value: a string's decoded text, a number's text as sent. */
  public void set(int row, Kind kind, String text) {
    if (row >= kinds.length) {
      int capacity = Math.max(1024, Math.max(row + 1, kinds.length * 2));
      kinds = Arrays.copyOf(kinds, capacity);
      texts = Arrays.copyOf(texts, capacity);
    }
    kinds[row] = (byte) kind.ordinal();
    texts[row] = text == null ? null : share(text);
    seen[kind.ordinal()] = true;
  }

  public Kind kind(int row) {
    return row < kinds.length ? KINDS[kinds[row]] : Kind.NULL;
  }

  /** The value's text: a string decoded, a number as sent; null for null and booleans. */
  public String text(int row) {
    return row < texts.length ? texts[row] : null;
  }

  /**
   * The column's type for the manifest, from the kinds its values have: integers alone are {@code
   * int64}, numbers with a fraction or an exponent make it {@code float64}, booleans alone {@code
   * bool}; strings, a mix of kinds, or nulls alone are {@code string}.
   */
  public ValueType type() {
    boolean numbers = seen[Kind.INTEGER.ordinal()] || seen[Kind.DECIMAL.ordinal()];
    boolean bools = seen[Kind.TRUE.ordinal()] || seen[Kind.FALSE.ordinal()];
    boolean strings = seen[Kind.STRING.ordinal()];
    if (numbers && !bools && !strings) {
      return seen[Kind.DECIMAL.ordinal()] ? ValueType.FLOAT64 : ValueType.INT64;
    }
    if (bools && !numbers && !strings) {
      return ValueType.BOOL;
    }
    return ValueType.STRING;
  }

  void writeJson(int row, RowBytes out) {
    switch (kind(row)) {
      case STRING -> out.jsonString(text(row));
      case INTEGER, DECIMAL -> out.ascii(text(row));
      case TRUE -> out.ascii("true");
      case FALSE -> out.ascii("false");
      default -> out.ascii("null");
    }
  }

  void writeCsv(int row, RowBytes out) {
    switch (kind(row)) {
      case STRING -> out.utf8(Csv.value(text(row)));
      case INTEGER, DECIMAL -> out.ascii(text(row));
      case TRUE -> out.ascii("true");
      case FALSE -> out.ascii("false");
      default -> {}
    }
  }

  private String share(String text) {
    String known = shared.get(text);
    if (known != null) {
      return known;
    }
    if (shared.size() < MAX_SHARED) {
      shared.put(text, text);
    }
    return text;
  }
}
