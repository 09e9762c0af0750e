package io.freshet.read;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.freshet.selection.Column;
import io.freshet.selection.FeatureSelection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The parts of an online response that depend only on the selection, encoded once when it is
 * resolved rather than per response: each column's name as a JSON field name, the {@code features}
 * array and the {@code transformations} array.
 */
final class SelectionJson {

  private final SerializableString[] names;
  private final SerializableString features;
  private final SerializableString transformations;

  SelectionJson(FeatureSelection selection) {
    List<Column> columns = selection.columns();
    names = new SerializableString[columns.size()];
    JsonArray featureNames = new JsonArray();
    JsonArray versions = new JsonArray();
    for (int c = 0; c < names.length; c++) {
      Column column = columns.get(c);
      names[c] = new SerializedString(column.name());
      featureNames.add(column.name());
      if (column instanceof Column.Transformed) {
        versions.add(
            new JsonObject()
                .put("name", column.name())
                .put("version", ((Column.Transformed) column).version().version()));
      }
    }
    features = new SerializedString(featureNames.encode());
    transformations = new SerializedString(versions.encode());
  }

  /** Column {@code c}'s name, to write as a field name. */
  SerializableString name(int c) {
    return names[c];
  }

  /** {@code ["view:feature", "transformation", ...]}, to write as a raw value. */
  SerializableString features() {
    return features;
  }

  /** {@code [{"name", "version"}, ...]} of the transformations, to write as a raw value. */
  SerializableString transformations() {
    return transformations;
  }
}
