package io.freshet.write;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.freshet.model.ApiException;
import io.freshet.model.EntityKeys;
import io.freshet.model.StoredText;
import io.freshet.model.Timestamps;
import io.freshet.model.ValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one batch's rows token by token and checks each as it is read, collecting every problem as
 * {@code {"row", "field", "message"}}: no tree is built for a row, and a row is read once. An
 * accepted row's values are written as the JSON text a record holds, which every tier takes as it
 * is. A batch with any problem is refused whole.
 */
final class BatchBuilder {

  private static final int MAX_DETAILS = 100;
  private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

  private final BatchValidator validator;
  private final long nowMicros;
  private final List<String> keys = new ArrayList<>();
  private long[] events = new long[256];
  private final List<String> valuesJson = new ArrayList<>();
  // A key's first row, with its event time; a key met again is compared by (key, instant).
  private final Map<String, Integer> firstRowOfKey = new HashMap<>();
  private long[] firstEvents = new long[256];
  private final Map<String, Integer> firstRowOfInstant = new HashMap<>();
  private final JsonArray details = new JsonArray();
  private int problems;
  private int rows;

  // One row's fields as read, by slot (see BatchValidator), set again for each row.
  private final JsonToken[] token;
  private final long[] longs;
  private final double[] doubles;
  private final String[] texts;
  private final boolean[] outOfRange;
  private final List<String> unknown = new ArrayList<>();
  private final StringBuilder json = new StringBuilder(256);
  private Object key;

  BatchBuilder(BatchValidator validator, long nowMicros) {
    this.validator = validator;
    this.nowMicros = nowMicros;
    int slots = BatchValidator.FIRST_FEATURE_SLOT + validator.features.length;
    this.token = new JsonToken[slots];
    this.longs = new long[slots];
    this.doubles = new double[slots];
    this.texts = new String[slots];
    this.outOfRange = new boolean[slots];
  }

  int rows() {
    return rows;
  }

  /** Reads the row object whose start the parser is at, up to and with its end. */
  void row(JsonParser parser) throws IOException {
    Arrays.fill(token, null);
    unknown.clear();
    key = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      Integer slot = validator.slots.get(name);
      if (slot == null) {
        unknown.add(name);
        parser.skipChildren();
      } else {
        read(slot, value, parser);
      }
    }
    check(rows++);
  }

  /** Keeps what the slot's check needs of the value the parser is on, before it moves on. */
  private void read(int slot, JsonToken value, JsonParser parser) throws IOException {
    token[slot] = value;
    outOfRange[slot] = false;
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      parser.skipChildren();
    } else if (slot == BatchValidator.KEY_SLOT) {
      key = value == JsonToken.VALUE_NULL ? null : EntityKeys.of(keyType(), parser);
    } else if (value == JsonToken.VALUE_STRING) {
      texts[slot] = parser.getText();
    } else if (slot >= BatchValidator.FIRST_FEATURE_SLOT && parser.currentToken().isNumeric()) {
      ValueType type = validator.features[slot - BatchValidator.FIRST_FEATURE_SLOT].feature.type();
      if (type == ValueType.FLOAT64) {
        doubles[slot] = parser.getDoubleValue();
      } else if (value == JsonToken.VALUE_NUMBER_INT) {
        outOfRange[slot] = parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
        longs[slot] = outOfRange[slot] ? 0 : parser.getLongValue();
      }
    }
  }

  private ValueType keyType() {
    return validator.view.entity().keyType();
  }

  /**
   * Checks the row just read, in a fixed order (unknown fields, join key, event time, features in
   * view order, then a repeated key and instant), and keeps it if the batch is still clean.
   */
  private void check(int row) {
    for (String name : unknown) {
      problem(
          row,
          name,
          "unknown "
              + (validator.view.isEvents() ? "field" : "feature")
              + " of view '"
              + validator.view.name()
              + "'");
    }
    String entity = entityKey(row);
    long event = eventTime(row);
    json.setLength(0);
    json.append('{');
    for (int f = 0; f < validator.features.length; f++) {
      if (f > 0) {
        json.append(',');
      }
      feature(row, f);
    }
    json.append('}');
    // An event view keeps every row: two events of one entity at one instant both count.
    if (entity != null && event != Long.MIN_VALUE && !validator.view.isEvents()) {
      repeatedInstant(row, entity, event);
    }
    if (problems == 0) {
      keys.add(entity);
      if (keys.size() > events.length) {
        events = Arrays.copyOf(events, events.length * 2);
      }
      events[keys.size() - 1] = event;
      valuesJson.add(json.toString());
    }
  }

  /**
   * Two rows of one key at one instant: the later is refused, naming the first. Most batches hold
   * each key once, so only a key met again is looked up with its instant.
   */
  private void repeatedInstant(int row, String entity, long event) {
    if (row >= firstEvents.length) {
      firstEvents = Arrays.copyOf(firstEvents, firstEvents.length * 2);
    }
    firstEvents[row] = event;
    Integer firstOfKey = firstRowOfKey.putIfAbsent(entity, row);
    if (firstOfKey == null) {
      return;
    }
    firstRowOfInstant.putIfAbsent(entity + '\u0000' + firstEvents[firstOfKey], firstOfKey);
    Integer first = firstRowOfInstant.putIfAbsent(entity + '\u0000' + event, row);
    if (first != null) {
      problem(
          row,
          BatchValidator.EVENT_TIMESTAMP,
          "same " + validator.joinKey + " and instant as row " + first);
    }
  }

  private String entityKey(int row) {
    JsonToken given = token[BatchValidator.KEY_SLOT];
    String joinKey = validator.joinKey;
    if (given == null || given == JsonToken.VALUE_NULL) {
      problem(row, joinKey, "missing join key");
      return null;
    }
    if (key == null) {
      problem(
          row,
          joinKey,
          keyType() == ValueType.INT64
              ? "must be an int64 integer"
              : "must be a non-empty string " + StoredText.REQUIREMENT);
      return null;
    }
    String text = key.toString();
    if (text.isEmpty()) {
      problem(row, joinKey, "must be a non-empty string");
      return null;
    }
    if (FeatureValues.longerThan(text, BatchValidator.MAX_KEY_BYTES)) {
      problem(row, joinKey, "is longer than " + BatchValidator.MAX_KEY_BYTES + " bytes");
      return null;
    }
    return text;
  }

  /** The event time in micros, or {@code Long.MIN_VALUE} (never a valid one) after a problem. */
  private long eventTime(int row) {
    JsonToken given = token[BatchValidator.EVENT_SLOT];
    String field = BatchValidator.EVENT_TIMESTAMP;
    if (given == null || given == JsonToken.VALUE_NULL) {
      problem(row, field, "missing event_timestamp");
      return Long.MIN_VALUE;
    }
    if (given != JsonToken.VALUE_STRING) {
      problem(row, field, "must be an ISO-8601 string with a zone");
      return Long.MIN_VALUE;
    }
    long micros;
    try {
      micros = Timestamps.parseMicros(texts[BatchValidator.EVENT_SLOT]);
    } catch (IllegalArgumentException e) {
      problem(row, field, e.getMessage());
      return Long.MIN_VALUE;
    }
    if (micros - nowMicros > BatchValidator.FUTURE_TOLERANCE_MICROS) {
      problem(row, field, "more than 5 minutes in the future");
      return Long.MIN_VALUE;
    }
    return micros;
  }

  /** Checks feature {@code f} of the row and writes it into the row's JSON text. */
  private void feature(int row, int f) {
    FeatureValues values = validator.features[f];
    String name = values.feature.name();
    int slot = BatchValidator.FIRST_FEATURE_SLOT + f;
    JsonToken given = token[slot];
    json.append(values.jsonName);
    if (given == null || given == JsonToken.VALUE_NULL) {
      if (!values.feature.nullable()) {
        problem(row, name, "is required (not nullable)");
      }
      json.append("null");
      return;
    }
    String problem;
    switch (values.feature.type()) {
      case INT64:
        problem =
            given != JsonToken.VALUE_NUMBER_INT
                ? "must be an int64 integer"
                : outOfRange[slot] ? "is outside the int64 range" : values.checkLong(longs[slot]);
        if (problem == null) {
          json.append(longs[slot]);
        }
        break;
      case FLOAT64:
        problem =
            !given.isNumeric() ? "must be a float64 number" : values.checkDouble(doubles[slot]);
        if (problem == null) {
          json.append(doubles[slot]);
        }
        break;
      case BOOL:
        boolean isTrue = given == JsonToken.VALUE_TRUE;
        problem = isTrue || given == JsonToken.VALUE_FALSE ? null : "must be true or false";
        if (problem == null) {
          json.append(isTrue);
        }
        break;
      default:
        problem =
            given != JsonToken.VALUE_STRING ? "must be a string" : values.checkString(texts[slot]);
        if (problem == null) {
          json.append('"');
          ESCAPE.quoteAsString(texts[slot], json);
          json.append('"');
        }
    }
    if (problem != null) {
      problem(row, name, problem);
    }
  }

  /**
   * Counts every problem; lists the first hundred, so a huge bad batch cannot make a huge error.
   */
  private void problem(int row, String field, String message) {
    problems++;
    if (details.size() < MAX_DETAILS) {
      details.add(new JsonObject().put("row", row).put("field", field).put("message", message));
    }
  }

  /** The accepted batch, or the refusal naming every problem; nothing is written either way. */
  IngestBatch build() {
    if (problems > 0) {
      String shown = problems > MAX_DETAILS ? " (first " + MAX_DETAILS + " listed)" : "";
      throw ApiException.validationFailed(
          problems
              + " problems in the batch for view '"
              + validator.view.name()
              + "'"
              + shown
              + "; nothing written",
          details);
    }
    return new IngestBatch(
        validator.view.name(),
        keys,
        Arrays.copyOf(events, keys.size()),
        valuesJson.toArray(new String[0]));
  }
}
