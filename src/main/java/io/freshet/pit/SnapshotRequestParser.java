package io.freshet.pit;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.ApiException;
import io.freshet.registry.EntityDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.ValueType;
import io.freshet.store.FeatureSelection;
import io.freshet.store.SelectionCache;
import io.freshet.store.Timestamps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the options and the rows of a historical request, refusing anything malformed. */
public final class SnapshotRequestParser {

  private static final Set<String> OPTIONS =
      Set.of("feature_service", "features", "format", "include_timestamps", "cutoff");
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
    JsonNode service = body.get("feature_service");
    JsonNode features = body.get("features");
    if ((service == null) == (features == null)) {
      throw ApiException.badRequest("name exactly one of feature_service and features");
    }
    FeatureSelection selection;
    if (service != null) {
      if (!service.isTextual()) {
        throw ApiException.badRequest("feature_service must be a string");
      }
      selection = selections.ofService(service.textValue());
    } else {
      selection = selections.ofNames(names(features));
    }
    return new SnapshotRequest(
        service == null ? null : service.textValue(),
        selection,
        joinKeys(selection),
        format(body.get("format")),
        includeTimestamps(body.get("include_timestamps")),
        cutoff(body.get("cutoff"), nowMicros));
  }

  private static List<String> names(JsonNode features) {
    if (!features.isArray() || features.isEmpty()) {
      throw ApiException.badRequest("features must be a non-empty array of names");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode name : features) {
      if (!name.isTextual()) {
        throw ApiException.badRequest("features must be a non-empty array of names");
      }
      names.add(name.textValue());
    }
    return names;
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

  /** One label row; {@code index} (from 0) names it in errors. */
  public LabelRow row(SnapshotRequest request, JsonNode row, long index) {
    if (!row.isObject()) {
      throw ApiException.badRequest("row " + index + " is not a JSON object");
    }
    for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(TIMESTAMP)
          && request.joinKeys().stream().noneMatch(e -> e.joinKey().equals(name))) {
        throw ApiException.badRequest("row " + index + " has unknown field '" + name + "'");
      }
    }
    Object[] keys = new Object[request.joinKeys().size()];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = key(request.joinKeys().get(k), row, index);
    }
    JsonNode at = row.get(TIMESTAMP);
    if (at == null || at.isNull()) {
      throw ApiException.badRequest("row " + index + " lacks timestamp");
    }
    return new LabelRow(keys, timestamp(at, "row " + index + " timestamp"));
  }

  private static Object key(EntityDef entity, JsonNode row, long index) {
    JsonNode key = row.get(entity.joinKey());
    if (key == null || key.isNull()) {
      throw ApiException.badRequest("row " + index + " lacks join key '" + entity.joinKey() + "'");
    }
    if (entity.keyType() == ValueType.INT64 && key.isIntegralNumber() && key.canConvertToLong()) {
      return key.longValue();
    }
    if (entity.keyType() == ValueType.STRING && key.isTextual()) {
      return key.textValue();
    }
    throw ApiException.badRequest(
        "row " + index + ": " + entity.joinKey() + " must be " + entity.keyType().yamlName());
  }
}
