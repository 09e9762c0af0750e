package io.freshet.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.freshet.model.Cell;
import io.freshet.model.JsonValues;
import io.freshet.model.Status;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Streams an online result straight into JSON bytes: the read path's response is its largest
 * allocation, and a generator avoids building a tree only to encode it. Everything that does not
 * change from one cell to the next (names, statuses, a record's meta) is written from bytes encoded
 * once, so a cell costs little more than its value.
 */
final class OnlineResponseWriter {

  /**
   * Doubles are written by Jackson's Schubfach writer rather than {@link Double#toString}, which in
   * Java 17 costs about twice as much for a 16–17 digit value. Both give the double back exactly
   * when parsed; Schubfach gives the shortest such text, which for a few doubles in a thousand is
   * not Java 17's. Snapshots keep {@code Double.toString}: they promise the same bytes as earlier
   * runs.
   */
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private static final SerializableString FEATURES = new SerializedString("features");
  private static final SerializableString TRANSFORMATIONS = new SerializedString("transformations");
  private static final SerializableString RESULTS = new SerializedString("results");
  private static final SerializableString ENTITY = new SerializedString("entity");
  private static final SerializableString VALUES = new SerializedString("values");
  private static final SerializableString META = new SerializedString("meta");
  private static final SerializableString[] STATUSES =
      new SerializableString[Status.values().length];

  static {
    for (Status status : Status.values()) {
      STATUSES[status.ordinal()] = new SerializedString(status.name());
    }
  }

  private OnlineResponseWriter() {}

  static Buffer write(OnlineResult result, boolean metaFull) {
    SelectionJson selection = result.json();
    // About what a cell takes (two names, a value, a meta), so the buffer is sized once.
    int cellBytes = metaFull ? 200 : 80;
    BufferOutput out =
        new BufferOutput(
            256 + cellBytes * result.cells().size() * result.selection().columns().size());
    MetaFragments metas = new MetaFragments();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeFieldName(FEATURES);
      json.writeRawValue(selection.features());
      json.writeFieldName(TRANSFORMATIONS);
      json.writeRawValue(selection.transformations());
      json.writeFieldName(RESULTS);
      json.writeStartArray();
      for (int row = 0; row < result.cells().size(); row++) {
        metas.clear();
        writeRow(json, result, row, metaFull ? metas : null);
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.buffer();
  }

  /** {@code metas} is null for {@code meta: status}. */
  private static void writeRow(
      JsonGenerator json, OnlineResult result, int row, MetaFragments metas) throws IOException {
    SelectionJson selection = result.json();
    Cell[] cells = result.cells().get(row);
    json.writeStartObject();
    json.writeFieldName(ENTITY);
    json.writeStartObject();
    for (Map.Entry<String, List<Object>> key : result.entities().byJoinKey().entrySet()) {
      json.writeFieldName(key.getKey());
      JsonValues.write(json, key.getValue().get(row));
    }
    json.writeEndObject();
    json.writeFieldName(VALUES);
    json.writeStartObject();
    for (int c = 0; c < cells.length; c++) {
      json.writeFieldName(selection.name(c));
      JsonValues.write(json, cells[c].value());
    }
    json.writeEndObject();
    json.writeFieldName(META);
    json.writeStartObject();
    for (int c = 0; c < cells.length; c++) {
      json.writeFieldName(selection.name(c));
      if (metas == null) {
        json.writeString(STATUSES[cells[c].status().ordinal()]);
      } else {
        json.writeRawValue(metas.of(cells[c]));
      }
    }
    json.writeEndObject();
    json.writeEndObject();
  }
}
