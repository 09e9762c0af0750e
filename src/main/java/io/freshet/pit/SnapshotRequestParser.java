package io.freshet.pit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.encoding.LabelField;
import io.freshet.encoding.NumberFormat;
import io.freshet.encoding.OutputFormat;
import io.freshet.encoding.SnapshotLayout;
import io.freshet.encoding.TimestampPrecision;
import io.freshet.model.ApiException;
import io.freshet.model.EntityKeys;
import io.freshet.model.StoredText;
import io.freshet.model.Timestamps;
import io.freshet.registry.EntityDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.Registry;
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
          "feature_service",
          "features",
          "format",
          "number_format",
          "timestamp_precision",
          "include_timestamps",
          "include_status",
          "as_known",
          "apply_freshness",
          "cutoff");
  private static final String TIMESTAMP = "timestamp";

  private final SelectionCache selections;
  private final Registry registry;

  public SnapshotRequestParser(SelectionCache selections, Registry registry) {
    this.selections = selections;
    this.registry = registry;
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
            List.of(),
            selection.columns(),
            format(body.get("format")),
            numberFormat(body.get("number_format")),
            timestampPrecision(body.get("timestamp_precision")),
            flag(body, "include_timestamps"),
            flag(body, "include_status"));
    return new SnapshotRequest(
        columns.service(),
        selection,
        joinKeys,
        layout,
        cutoff(body.get("cutoff"), nowMicros),
        asKnown(body.get("as_known")),
        flag(body, "apply_freshness"));
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

  private static TimestampPrecision timestampPrecision(JsonNode precision) {
    if (precision == null || precision.isNull()) {
      return TimestampPrecision.STORED;
    }
    return TimestampPrecision.parse(precision.isTextual() ? precision.textValue() : "")
        .orElseThrow(
            () -> ApiException.badRequest("timestamp_precision must be \"stored\" or \"micros\""));
  }

  private static AsKnown asKnown(JsonNode asKnown) {
    if (asKnown == null || asKnown.isNull()) {
      return AsKnown.CUTOFF;
    }
    return AsKnown.parse(asKnown.isTextual() ? asKnown.textValue() : "")
        .orElseThrow(() -> ApiException.badRequest("as_known must be \"cutoff\" or \"row\""));
  }

  /** An option that is true or false, false when absent or null. */
  private static boolean flag(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw ApiException.badRequest(name + " must be true or false");
    }
    return value.booleanValue();
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
   * request has a million of them), and appends it; {@code index} (from 0) names it in errors. The
   * parser is on the token that should open the row. Malformed JSON is the caller's to report.
   */
  public void row(SnapshotRequest request, JsonParser json, long index, LabelTable into)
      throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
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
        ownField(request, json, name, value, index, into);
        continue;
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

  /**
   * A field of the row's own (a label, a weight, an id), kept to pass through. The first row names
   * them; a later row may leave one out (null) but not add one.
   */
  private void ownField(
      SnapshotRequest request,
      JsonParser json,
      String name,
      JsonToken value,
      long index,
      LabelTable into)
      throws IOException {
    LabelField field = into.field(name);
    if (field == null) {
      if (into.size() > 0) {
        throw ApiException.badRequest(
            "row "
                + index
                + " has field '"
                + name
                + "' that the first row lacks: the first row names the fields passed through");
      }
      if (!StoredText.storable(name)) {
        throw ApiException.badRequest(
            "row " + index + " names a field that is not a string " + StoredText.REQUIREMENT);
      }
      new LabelFieldNames(registry, request).check(name, index);
      field = into.addField(name);
    }
    int row = into.size();
    switch (value) {
      case VALUE_STRING -> field.set(row, LabelField.Kind.STRING, passedText(json, name, index));
      case VALUE_NUMBER_INT -> field.set(row, LabelField.Kind.INTEGER, json.getText());
      case VALUE_NUMBER_FLOAT -> field.set(row, LabelField.Kind.DECIMAL, json.getText());
      case VALUE_TRUE -> field.set(row, LabelField.Kind.TRUE, null);
      case VALUE_FALSE -> field.set(row, LabelField.Kind.FALSE, null);
      case VALUE_NULL -> field.set(row, LabelField.Kind.NULL, null);
      default ->
          throw ApiException.badRequest(
              "row "
                  + index
                  + " field '"
                  + name
                  + "' must be a string, a number, a boolean or null to pass through");
    }
  }

  /** A passed-through string, which every output row repeats: text it can be written as. */
  private static String passedText(JsonParser json, String name, long index) throws IOException {
    String text = json.getText();
    if (!StoredText.storable(text)) {
      throw ApiException.badRequest(
          "row " + index + " field '" + name + "' must be a string " + StoredText.REQUIREMENT);
    }
    return text;
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
          "row "
              + index
              + ": "
              + entity.joinKey()
              + " must be "
              + EntityKeys.expected(entity.keyType()));
    }
    return key;
  }
}
