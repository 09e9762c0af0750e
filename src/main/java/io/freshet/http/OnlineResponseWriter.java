package io.freshet.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.freshet.store.Cell;
import io.freshet.store.Column;
import io.freshet.store.JsonValues;
import io.freshet.store.OnlineResult;
import io.freshet.store.Timestamps;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Streams an online result straight into JSON bytes: the read path's response is its largest
 * allocation, and a generator avoids building a tree only to encode it.
 */
final class OnlineResponseWriter {

  private static final JsonFactory JSON = new JsonFactory();

  private OnlineResponseWriter() {}

  static Buffer write(OnlineResult result, boolean metaFull) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 128 * result.cells().size());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("features");
      for (Column column : result.selection().columns()) {
        json.writeString(column.name());
      }
      json.writeEndArray();
      json.writeFieldName("transformations");
      json.writeRawValue(result.selection().transformationVersions());
      json.writeArrayFieldStart("results");
      for (int row = 0; row < result.cells().size(); row++) {
        writeRow(json, result, row, metaFull);
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static void writeRow(JsonGenerator json, OnlineResult result, int row, boolean metaFull)
      throws IOException {
    long formattedMicros = Long.MIN_VALUE;
    String formatted = null;
    List<Column> columns = result.selection().columns();
    Cell[] cells = result.cells().get(row);
    json.writeStartObject();
    json.writeObjectFieldStart("entity");
    for (Map.Entry<String, List<Object>> key : result.entities().byJoinKey().entrySet()) {
      json.writeFieldName(key.getKey());
      JsonValues.write(json, key.getValue().get(row));
    }
    json.writeEndObject();
    json.writeObjectFieldStart("values");
    for (int c = 0; c < cells.length; c++) {
      json.writeFieldName(columns.get(c).name());
      JsonValues.write(json, cells[c].value());
    }
    json.writeEndObject();
    json.writeObjectFieldStart("meta");
    for (int c = 0; c < cells.length; c++) {
      Cell cell = cells[c];
      if (!metaFull) {
        json.writeStringField(columns.get(c).name(), cell.status().name());
        continue;
      }
      json.writeObjectFieldStart(columns.get(c).name());
      if (cell.isMissing()) {
        json.writeNullField("event_timestamp");
        json.writeNullField("age_ms");
      } else {
        // The features of one view share one record, so one entity's times repeat.
        if (cell.eventMicros() != formattedMicros) {
          formattedMicros = cell.eventMicros();
          formatted = Timestamps.format(formattedMicros);
        }
        json.writeStringField("event_timestamp", formatted);
        json.writeNumberField("age_ms", cell.ageMicros() / 1000);
      }
      json.writeStringField("status", cell.status().name());
      if (cell.tier() == null) {
        json.writeNullField("tier");
      } else {
        json.writeStringField("tier", cell.tier());
      }
      json.writeEndObject();
    }
    json.writeEndObject();
    json.writeEndObject();
  }
}
