package io.freshet.pit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.encoding.NumberFormat;
import io.freshet.encoding.OutputFormat;
import io.freshet.encoding.SnapshotLayout;
import io.freshet.model.ApiException;
import io.freshet.model.EntityKeys;
import io.freshet.model.Timestamps;
import io.freshet.registry.EntityDef;
import io.freshet.registry.FeatureView;
import io.freshet.selection.FeatureSelection;
import io.freshet.selection.SelectionCache;
import io.freshet.selection.SelectionRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the options and the rows of a historical request, refusing anything malformed. */
public final class SnapshotRequestParser {

  private static final Set<String> OPTIONS =
      Set.of(
          "feature_service", "features", "format", "number_format", "include_timestamps", "cutoff");
  private static final String TIMESTAMP = "timestamp";

  private final SelectionCache selections;

  public SnapshotRequestParser(SelectionCache selections) {
    this.selections = selections;
  }

  /**
   * The options; {@code rowsField} says whether a {@code rows} field belongs in the object (JSON
   * body) or not (the first line of NDJSON).
   */
  public SnapshotRequest options(JsonNode body, boolean rowsField, long nowMicros) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!OPTIONS.contains(name) && !(rowsField && name.equals("rows"))) {
        throw ApiException.badRequest("unknown field '" + name + "'");
      }
    }
    SelectionRequest columns = SelectionRequest.parse(body);
    FeatureSelection selection = columns.resolve(selections);
    List<EntityDef> joinKeys = joinKeys(selection);
    List<String> joinKeyNames = new ArrayList<>(joinKeys.size());
    joinKeys.forEach(k -> joinKeyNames.add(k.joinKey()));
    SnapshotLayout layout =
        new SnapshotLayout(
            joinKeyNames,
            selection.columns(),
            format(body.get("format")),
            numberFormat(body.get("number_format")),
            includeTimestamps(body.get("include_timestamps")));
    return new SnapshotRequest(
        columns.service(), selection, joinKeys, layout, cutoff(body.get("cutoff"), nowMicros));
  }

  private static List<EntityDef> joinKeys(FeatureSelection selection) {
    Map<String, EntityDef> keys = new LinkedHashMap<>();
    for (FeatureView view : selection.views()) {
      keys.putIfAbsent(view.entity().joinKey(), view.entity());
    }
    return new ArrayList<>(keys.values());
  }

  private static OutputFormat format(JsonNode format) {
    if (format == null || format.isNull()) {
      return OutputFormat.JSONL;
    }
    return OutputFormat.parse(format.isTextual() ? format.textValue() : "")
        .orElseThrow(() -> ApiException.badRequest("format must be \"jsonl\" or \"csv\""));
  }

  private static NumberFormat numberFormat(JsonNode format) {
    if (format == null || format.isNull()) {
      return NumberFormat.SHORTEST;
    }
    return NumberFormat.parse(format.isTextual() ? format.textValue() : "")
        .orElseThrow(
            () -> ApiException.badRequest("number_format must be \"shortest\" or \"java\""));
  }

  private static boolean includeTimestamps(JsonNode include) {
    if (include == null || include.isNull()) {
      return false;
    }
    if (!include.isBoolean()) {
      throw ApiException.badRequest("include_timestamps must be true or false");
    }
    return include.booleanValue();
  }

  private static long cutoff(JsonNode cutoff, long nowMicros) {
    if (cutoff == null || cutoff.isNull()) {
      return nowMicros;
    }
    long micros = timestamp(cutoff, "cutoff");
    if (micros > nowMicros) {
      // A cutoff in the future would let later ingests change a snapshot said to be fixed.
      throw ApiException.badRequest("cutoff is in the future");
    }
    return micros;
  }

  private static long timestamp(JsonNode node, String what) {
    if (!node.isTextual()) {
      throw ApiException.badRequest(what + " must be an ISO-8601 string with a zone");
    }
    try {
      return Timestamps.parseMicros(node.textValue());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(what + ": " + e.getMessage());
    }
  }

  /**
   * Checks one label row, read token by token from {@code json} (no tree is built: a snapshot
   * request has a million of them), and appends it; {@code index} (from 0) names it in errors.
   * Malformed JSON is the caller's to report.
   */
  public void row(SnapshotRequest request, JsonParser json, long index, LabelTable into)
      throws IOException {
    if (json.nextToken() != JsonToken.START_OBJECT) {
      throw ApiException.badRequest("row " + index + " is not a JSON object");
    }
    List<EntityDef> joinKeys = request.joinKeys();
    Object[] keys = new Object[joinKeys.size()];
    String at = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String name = json.currentName();
      JsonToken value = json.nextToken();
      if (name.equals(TIMESTAMP)) {
        if (value != JsonToken.VALUE_NULL) {
          if (value != JsonToken.VALUE_STRING) {
            throw ApiException.badRequest(
                "row " + index + " timestamp must be an ISO-8601 string with a zone");
          }
          at = json.getText();
        }
        continue;
      }
      int k = joinKeyIndex(joinKeys, name);
      if (k < 0) {
        throw ApiException.badRequest("row " + index + " has unknown field '" + name + "'");
      }
      if (value != JsonToken.VALUE_NULL) {
        keys[k] = key(joinKeys.get(k), json, index);
      }
    }
    for (int k = 0; k < keys.length; k++) {
      if (keys[k] == null) {
        throw ApiException.badRequest(
            "row " + index + " lacks join key '" + joinKeys.get(k).joinKey() + "'");
      }
    }
    if (at == null) {
      throw ApiException.badRequest("row " + index + " lacks timestamp");
    }
    try {
      into.add(keys, Timestamps.parseMicros(at));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("row " + index + " timestamp: " + e.getMessage());
    }
  }

  private static int joinKeyIndex(List<EntityDef> joinKeys, String name) {
    for (int k = 0; k < joinKeys.size(); k++) {
      if (joinKeys.get(k).joinKey().equals(name)) {
        return k;
      }
    }
    return -1;
  }

  private static Object key(EntityDef entity, JsonParser json, long index) throws IOException {
    Object key = EntityKeys.of(entity.keyType(), json);
    if (key == null) {
      throw ApiException.badRequest(
          "row " + index + ": " + entity.joinKey() + " must be " + entity.keyType().yamlName());
    }
    return key;
  }
}
