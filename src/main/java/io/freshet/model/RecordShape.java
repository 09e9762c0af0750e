package io.freshet.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The features of one view's records, in declared order: a record's values decoded once into an
 * array in this order, so a read finds a value by position instead of by name. One instance per
 * distinct layout, so a record can remember the array it decoded for it.
 */
public final class RecordShape {

  private static final Map<List<Object>, RecordShape> CANONICAL = new ConcurrentHashMap<>();
  private static final JsonFactory JSON = new JsonFactory();

  private final String[] names;
  private final ValueType[] types;
  private final Map<String, Integer> positions = new HashMap<>();

  private RecordShape(List<String> names, List<ValueType> types) {
    this.names = names.toArray(new String[0]);
    this.types = types.toArray(new ValueType[0]);
    for (int i = 0; i < this.names.length; i++) {
      positions.put(this.names[i], i);
    }
  }

  /** The one shape of these names and types. */
  public static RecordShape of(List<String> names, List<ValueType> types) {
    List<Object> key = List.of(List.copyOf(names), List.copyOf(types));
    return CANONICAL.computeIfAbsent(key, k -> new RecordShape(names, types));
  }

  public int size() {
    return names.length;
  }

  /** The position of a feature, or -1 when the shape has none of that name. */
  public int position(String name) {
    Integer at = positions.get(name);
    return at == null ? -1 : at;
  }

  /**
   * A record's stored values, by position, each as its type's Java value (Long, Double, Boolean or
   * String; null when null or absent). Names the shape lacks are skipped. Values are usually stored
   * in declared order, which is tried before the name is looked up.
   */
  Object[] decode(String json) {
    Object[] values = new Object[names.length];
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException("stored feature values are not a JSON object: " + json);
      }
      int expected = 0;
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        int at =
            expected < names.length && names[expected].equals(name) ? expected : position(name);
        JsonToken token = parser.nextToken();
        if (at < 0) {
          parser.skipChildren();
          continue;
        }
        expected = at + 1;
        values[at] = token == JsonToken.VALUE_NULL ? null : read(types[at], parser);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("stored feature values are not JSON: " + json, e);
    }
    return values;
  }

  private static Object read(ValueType type, JsonParser parser) throws IOException {
    switch (type) {
      case INT64:
        return parser.getLongValue();
      case FLOAT64:
        return parser.getDoubleValue();
      case BOOL:
        return parser.getBooleanValue();
      default:
        return parser.getText();
    }
  }

  @Override
  public String toString() {
    return "RecordShape" + Arrays.toString(names);
  }
}
