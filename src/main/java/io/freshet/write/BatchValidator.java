package io.freshet.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.model.ApiException;
import io.freshet.model.EntityKeys;
import io.freshet.model.Timestamps;
import io.freshet.model.ValueType;
import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a whole batch against its view before anything is written, collecting every problem as
 * {@code {"row", "field", "message"}}. A batch with any problem is refused whole.
 */
public final class BatchValidator {

  public static final String EVENT_TIMESTAMP = "event_timestamp";
  static final long FUTURE_TOLERANCE_MICROS = 5 * 60 * 1_000_000L;
  private static final int MAX_DETAILS = 100;

  /** Every key sits in a Postgres btree index, whose entries must stay within about 2.7 kB. */
  static final int MAX_KEY_BYTES = 1024;

  private final FeatureView view;
  private final String joinKey;
  private final Map<String, FeatureDef> features;

  public BatchValidator(FeatureView view) {
    this.view = view;
    this.joinKey = view.entity().joinKey();
    this.features = view.featuresByName();
  }

  public IngestBatch validate(List<JsonNode> rows, long nowMicros) {
    Problems problems = new Problems();
    List<String> keys = new ArrayList<>(rows.size());
    long[] events = new long[rows.size()];
    List<JsonObject> values = new ArrayList<>(rows.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      if (!row.isObject()) {
        throw ApiException.badRequest("row " + i + " is not a JSON object");
      }
      unknownFields(row, i, problems);
      String key = entityKey(row, i, problems);
      Long event = eventTime(row, i, nowMicros, problems);
      values.add(featureValues(row, i, problems));
      keys.add(key);
      if (key != null && event != null) {
        events[i] = event;
        Integer first = seen.putIfAbsent(key + '\u0000' + event, i);
        if (first != null) {
          problems.add(i, EVENT_TIMESTAMP, "same " + joinKey + " and instant as row " + first);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw ApiException.validationFailed(problems.summary(view.name()), problems.details());
    }
    return new IngestBatch(view.name(), keys, events, values);
  }

  private void unknownFields(JsonNode row, int i, Problems problems) {
    for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(joinKey) && !name.equals(EVENT_TIMESTAMP) && !features.containsKey(name)) {
        problems.add(i, name, "unknown feature of view '" + view.name() + "'");
      }
    }
  }

  private String entityKey(JsonNode row, int i, Problems problems) {
    JsonNode node = row.get(joinKey);
    if (node == null || node.isNull()) {
      problems.add(i, joinKey, "missing join key");
      return null;
    }
    Object key = EntityKeys.of(view.entity().keyType(), node);
    if (key == null) {
      problems.add(
          i,
          joinKey,
          view.entity().keyType() == ValueType.INT64
              ? "must be an int64 integer"
              : "must be a non-empty string");
      return null;
    }
    String text = key.toString();
    if (text.isEmpty()) {
      problems.add(i, joinKey, "must be a non-empty string");
      return null;
    }
    if (FeatureValues.longerThan(text, MAX_KEY_BYTES)) {
      problems.add(i, joinKey, "is longer than " + MAX_KEY_BYTES + " bytes");
      return null;
    }
    return text;
  }

  private Long eventTime(JsonNode row, int i, long nowMicros, Problems problems) {
    JsonNode node = row.get(EVENT_TIMESTAMP);
    if (node == null || node.isNull()) {
      problems.add(i, EVENT_TIMESTAMP, "missing event_timestamp");
      return null;
    }
    if (!node.isTextual()) {
      problems.add(i, EVENT_TIMESTAMP, "must be an ISO-8601 string with a zone");
      return null;
    }
    long micros;
    try {
      micros = Timestamps.parseMicros(node.textValue());
    } catch (IllegalArgumentException e) {
      problems.add(i, EVENT_TIMESTAMP, e.getMessage());
      return null;
    }
    if (micros - nowMicros > FUTURE_TOLERANCE_MICROS) {
      problems.add(i, EVENT_TIMESTAMP, "more than 5 minutes in the future");
      return null;
    }
    return micros;
  }

  private JsonObject featureValues(JsonNode row, int i, Problems problems) {
    JsonObject values = new JsonObject();
    for (FeatureDef feature : view.features()) {
      JsonNode node = row.get(feature.name());
      if (node == null || node.isNull()) {
        if (!feature.nullable()) {
          problems.add(i, feature.name(), "is required (not nullable)");
        }
        values.putNull(feature.name());
        continue;
      }
      String problem = FeatureValues.check(feature, node);
      if (problem != null) {
        problems.add(i, feature.name(), problem);
      } else {
        values.put(feature.name(), FeatureValues.toJava(feature.type(), node));
      }
    }
    return values;
  }

  /** Collected problems, capped so a huge bad batch cannot make a huge error. */
  private static final class Problems {
    private final JsonArray details = new JsonArray();
    private int count;

    void add(int row, String field, String message) {
      count++;
      if (details.size() < MAX_DETAILS) {
        details.add(new JsonObject().put("row", row).put("field", field).put("message", message));
      }
    }

    boolean isEmpty() {
      return count == 0;
    }

    JsonArray details() {
      return details;
    }

    String summary(String view) {
      String shown = count > MAX_DETAILS ? " (first " + MAX_DETAILS + " listed)" : "";
      return count + " problems in the batch for view '" + view + "'" + shown + "; nothing written";
    }
  }
}
