package io.freshet.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * What an entity key of each type is, wherever one arrives: an int64 key is an integral JSON number
 * that fits 64 bits (or its decimal text in a URL path), a string key is JSON text that every tier
 * can store ({@link StoredText}). Online reads, ingest, historical label rows and as-of lookups all
 * ask here, so a key one path accepts is never refused by another. Each answers the key as a {@code
 * Long} or {@code String}, or null when the value is not of the key's type; the caller words the
 * error for its own request.
 */
public final class EntityKeys {

  private EntityKeys() {}

  /** What a key of {@code type} must be, for the callers' refusals: "must be " + this. */
  public static String expected(ValueType type) {
    return type == ValueType.INT64 ? "an int64" : "a string " + StoredText.REQUIREMENT;
  }

  public static Object of(ValueType type, JsonNode value) {
    if (type == ValueType.INT64) {
      return value.isIntegralNumber() && value.canConvertToLong() ? value.longValue() : null;
    }
    return value.isTextual() ? storable(value.textValue()) : null;
  }

  /** The key the parser is on, read token by token (label rows build no tree). */
  public static Object of(ValueType type, JsonParser json) throws IOException {
    JsonToken token = json.currentToken();
    if (type == ValueType.INT64) {
      return token == JsonToken.VALUE_NUMBER_INT
              && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER
          ? json.getLongValue()
          : null;
    }
    return token == JsonToken.VALUE_STRING ? storable(json.getText()) : null;
  }

  /** A key written in a URL path segment. */
  public static Object of(ValueType type, String text) {
    if (type != ValueType.INT64) {
      return storable(text);
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String storable(String text) {
    return StoredText.storable(text) ? text : null;
  }
}
