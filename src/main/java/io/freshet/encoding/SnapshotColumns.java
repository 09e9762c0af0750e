package io.freshet.encoding;

import io.freshet.model.ValueType;
import io.freshet.selection.Column;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Every output column of a snapshot in body order with its type ({@code int64}, {@code float64},
 * {@code bool}, {@code string} or {@code timestamp}), as its manifest gives them: what a reader
 * needs to parse each column as it was meant, whatever it would guess from the values.
 */
public final class SnapshotColumns {

  private static final String TIMESTAMP = "timestamp";

  private SnapshotColumns() {}

  /** {@code keyTypes} is aligned with the layout's join keys. */
  public static JsonArray describe(
      SnapshotLayout layout, List<ValueType> keyTypes, LabelRows labels) {
    JsonArray out = new JsonArray();
    for (int k = 0; k < layout.joinKeys().size(); k++) {
      out.add(column(layout.joinKeys().get(k), keyTypes.get(k).yamlName()));
    }
    out.add(column(TIMESTAMP, TIMESTAMP));
    List<LabelField> fields = labels.labelFields();
    for (int f = 0; f < layout.labelFields().size(); f++) {
      out.add(column(layout.labelFields().get(f), fields.get(f).type().yamlName()));
    }
    for (Column column : layout.columns()) {
      out.add(column(column.name(), type(column).yamlName()));
      if (layout.includeTimestamps()) {
        out.add(column(column.name() + SnapshotLayout.EVENT_TIMESTAMP_SUFFIX, TIMESTAMP));
      }
      if (layout.includeStatus()) {
        out.add(column(column.name() + SnapshotLayout.STATUS_SUFFIX, ValueType.STRING.yamlName()));
      }
    }
    return out;
  }

  /** A feature column's type: its feature's, or its transformation version's output. */
  public static ValueType type(Column column) {
    return column instanceof Column.Raw raw
        ? raw.feature().type()
        : ((Column.Transformed) column).version().outputType();
  }

  private static JsonObject column(String name, String type) {
    return new JsonObject().put("name", name).put("type", type);
  }
}
