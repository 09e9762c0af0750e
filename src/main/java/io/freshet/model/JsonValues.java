package io.freshet.model;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes a feature value (Long, Double, Boolean, String or null) the same way everywhere. */
public final class JsonValues {

  private JsonValues() {}

  public static void write(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Long) {
      json.writeNumber((Long) value);
    } else if (value instanceof Double) {
      json.writeNumber((Double) value);
    } else if (value instanceof Boolean) {
      json.writeBoolean((Boolean) value);
    } else {
      json.writeString(value.toString());
    }
  }
}
