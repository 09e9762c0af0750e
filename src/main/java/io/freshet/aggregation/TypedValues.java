package io.freshet.aggregation;

import io.freshet.model.ValueType;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;

/** Values of a field read by an aggregation: their order, their encoding, their Java form. */
final class TypedValues {

  private static final Map<ValueType, Comparator<Object>> ORDERS = new EnumMap<>(ValueType.class);

  static {
    for (ValueType type : ValueType.values()) {
      ORDERS.put(type, (a, b) -> compare(type, a, b));
    }
  }

  private TypedValues() {}

  /** {@link #compare} as a comparator, one per type. */
  static Comparator<Object> order(ValueType type) {
    return ORDERS.get(type);
  }

  /**
   * The Java form an aggregation holds: Long, Double (never −0.0 for distinct), Boolean, String.
   */
  static Object of(ValueType type, Object value) {
    switch (type) {
      case INT64:
        return ((Number) value).longValue();
      case FLOAT64:
        return ((Number) value).doubleValue();
      default:
        return value;
    }
  }

  /**
   * Numbers by value, false before true, strings by code point (the order of their UTF-8 bytes).
   */
  @SuppressWarnings("unchecked")
  static int compare(ValueType type, Object a, Object b) {
    if (type == ValueType.STRING) {
      return compareCodePoints((String) a, (String) b);
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  static void write(ByteWriter out, ValueType type, Object value) {
    switch (type) {
      case INT64:
        out.writeSignedVarLong((Long) value);
        break;
      case FLOAT64:
        out.writeDouble((Double) value);
        break;
      case BOOL:
        out.writeByte((Boolean) value ? 1 : 0);
        break;
      default:
        out.writeString((String) value);
    }
  }

  static Object read(ByteReader in, ValueType type) {
    switch (type) {
      case INT64:
        return in.readSignedVarLong();
      case FLOAT64:
        return in.readDouble();
      case BOOL:
        return in.readByte() != 0;
      default:
        return in.readString();
    }
  }

  private static int compareCodePoints(String a, String b) {
    int length = Math.min(a.length(), b.length());
    for (int i = 0; i < length; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (Character.isSurrogate(x) == Character.isSurrogate(y)) {
          return Character.compare(x, y);
        }
        return Character.isSurrogate(x) ? 1 : -1;
      }
    }
    return Integer.compare(a.length(), b.length());
  }
}
