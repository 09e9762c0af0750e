package io.freshet.pit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.freshet.model.ValueType;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * One feature's values across the records a snapshot uses, unboxed: numbers and booleans as 64 bits
 * each, strings by reference with repeated values shared. A million matched records of four
 * features hold about 40 MB instead of the several hundred their decoded JSON objects would.
 */
final class ValueColumn {

  // Categorical strings repeat; past this many distinct values sharing stops paying.
  private static final int MAX_SHARED_STRINGS = 4096;

  private final ValueType type;
  private final BitSet nulls = new BitSet();
  private long[] bits = new long[0];
  private String[] strings = new String[0];
  private final Map<String, String> shared = new HashMap<>();

  ValueColumn(ValueType type) {
    this.type = type;
  }

  void ensureCapacity(int slots) {
    if (type == ValueType.STRING) {
      if (strings.length < slots) {
        strings = Arrays.copyOf(strings, Math.max(slots, strings.length * 2));
      }
    } else if (bits.length < slots) {
      bits = Arrays.copyOf(bits, Math.max(slots, bits.length * 2));
    }
  }

  /**
   * Stores the value the parser is on, converted as {@link io.freshet.model.RecordShape} converts a
   * decoded JSON value of this feature's type.
   */
  void read(int slot, JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      nulls.set(slot);
      return;
    }
    switch (type) {
      case INT64:
        bits[slot] = parser.getLongValue();
        break;
      case FLOAT64:
        bits[slot] = Double.doubleToRawLongBits(parser.getDoubleValue());
        break;
      case BOOL:
        bits[slot] = parser.getBooleanValue() ? 1 : 0;
        break;
      default:
        strings[slot] = share(parser.getText());
    }
  }

  /** Stores a value of this column's type (Long, Double, Boolean or String), or null. */
  void set(int slot, Object value) {
    if (value == null) {
      nulls.set(slot);
      return;
    }
    nulls.clear(slot);
    switch (type) {
      case INT64:
        bits[slot] = (Long) value;
        break;
      case FLOAT64:
        bits[slot] = Double.doubleToRawLongBits((Double) value);
        break;
      case BOOL:
        bits[slot] = (Boolean) value ? 1 : 0;
        break;
      default:
        strings[slot] = share((String) value);
    }
  }

  /** A slot no record value was read into: the feature was absent, which reads as null. */
  void absent(int slot) {
    nulls.set(slot);
  }

  Object get(int slot) {
    if (nulls.get(slot)) {
      return null;
    }
    switch (type) {
      case INT64:
        return bits[slot];
      case FLOAT64:
        return Double.longBitsToDouble(bits[slot]);
      case BOOL:
        return bits[slot] == 1;
      default:
        return strings[slot];
    }
  }

  private String share(String value) {
    String known = shared.get(value);
    if (known != null) {
      return known;
    }
    if (shared.size() < MAX_SHARED_STRINGS) {
      shared.put(value, value);
    }
    return value;
  }
}
