package io.freshet.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.freshet.model.Cell;
import io.freshet.model.CellMeta;
import io.freshet.model.Status;
import io.freshet.model.Timestamps;
import io.freshet.registry.DeclaredCatalog;
import io.freshet.registry.Registry;
import io.freshet.registry.SchemaLoader;
import io.freshet.registry.SchemaSet;
import io.freshet.selection.Column;
import io.freshet.selection.FeatureSelection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The writer's bytes against a plain generator that writes every field as it comes (what the writer
 * was before it wrote fragments encoded once), in both layouts: identical for every mix of
 * statuses, tiers, event times, MISSING and nullified cells, metas shared by a record's values or
 * not, and values that need escaping. Both format doubles the same way ({@link OnlineDoublesTest}
 * checks that way itself).
 */
class OnlineResponseWriterTest {

  private static final List<String> FEATURES =
      List.of(
          "profile:age",
          "profile:plan",
          "profile:score",
          "profile:active",
          "risk:risk_score",
          "age_months",
          "risk_per_year",
          "risk_log",
          "age_band");
  private static final String[] STRINGS = {"pro", "", "a\"b\\c", "é ☃ 😀", "line\nbreak\t\u0001"};
  private static final String[] TIERS = {"hot", "warm", "cold", null};

  // Characters outside the BMP as their UTF-8 bytes, as the writer and snapshots write them (the
  // generator's default is an escaped surrogate pair; both read back as the same string).
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .build();

  private final Random random = new Random(11);

  @Test
  void write_randomResults_sameBytesAsFieldByFieldGenerator() throws Exception {
    SchemaSet schemas = SchemaLoader.load(Path.of("src/test/resources/schemas"));
    FeatureSelection selection =
        FeatureSelection.ofNames(
            new Registry(schemas, Map.of()), DeclaredCatalog.of(schemas), FEATURES);
    for (int response = 0; response < 300; response++) {
      int entities = 1 + random.nextInt(5);
      List<Object> keys = new ArrayList<>();
      List<Cell[]> rows = new ArrayList<>();
      for (int row = 0; row < entities; row++) {
        keys.add(random.nextLong());
        rows.add(cells(selection.columns().size()));
      }
      OnlineResult result = Results.of(selection, "user_id", keys, rows);
      for (boolean metaFull : new boolean[] {true, false}) {
        assertEquals(
            rowsReference(result, keys, rows, metaFull),
            OnlineResponseWriter.write(result, metaFull, false).toString(StandardCharsets.UTF_8));
        assertEquals(
            columnsReference(result, keys, rows, metaFull),
            OnlineResponseWriter.write(result, metaFull, true).toString(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Cells that share one meta object as a record's values do, equal metas that are different
   * objects, and sometimes neither.
   */
  private Cell[] cells(int count) {
    long[] events = {1_764_000_000_000_000L, 1_764_000_000_123_456L, 1_764_000_001_500_000L};
    CellMeta[] shared = new CellMeta[3];
    for (int m = 0; m < shared.length; m++) {
      shared[m] = meta(events);
    }
    Cell[] cells = new Cell[count];
    for (int c = 0; c < count; c++) {
      if (random.nextInt(6) == 0) {
        cells[c] = Cell.MISSING;
        continue;
      }
      Object value =
          switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> random.nextLong();
            case 2 -> random.nextGaussian() * 1e6;
            case 3 -> random.nextBoolean();
            default -> STRINGS[random.nextInt(STRINGS.length)];
          };
      cells[c] = new Cell(value, random.nextBoolean() ? shared[random.nextInt(3)] : meta(events));
    }
    return cells;
  }

  private CellMeta meta(long[] events) {
    return new CellMeta(
        events[random.nextInt(events.length)],
        random.nextInt(3) * 1_234_567L + random.nextInt(999),
        Status.values()[random.nextInt(3)],
        TIERS[random.nextInt(TIERS.length)]);
  }

  private static String rowsReference(
      OnlineResult result, List<Object> keys, List<Cell[]> rows, boolean metaFull)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Column> columns = result.plan().selection.columns();
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      header(json, columns);
      json.writeArrayFieldStart("results");
      for (int row = 0; row < rows.size(); row++) {
        Cell[] cells = rows.get(row);
        json.writeStartObject();
        json.writeObjectFieldStart("entity");
        json.writeFieldName("user_id");
        writeValue(json, keys.get(row));
        json.writeEndObject();
        json.writeObjectFieldStart("values");
        for (int c = 0; c < cells.length; c++) {
          json.writeFieldName(columns.get(c).name());
          writeValue(json, cells[c].value());
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
            json.writeStringField("event_timestamp", Timestamps.format(cell.eventMicros()));
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
      json.writeEndArray();
      json.writeEndObject();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String columnsReference(
      OnlineResult result, List<Object> keys, List<Cell[]> rows, boolean metaFull)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Column> columns = result.plan().selection.columns();
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      header(json, columns);
      json.writeObjectFieldStart("entities");
      json.writeArrayFieldStart("user_id");
      for (Object key : keys) {
        writeValue(json, key);
      }
      json.writeEndArray();
      json.writeEndObject();
      columnArrays(json, "values", columns.size(), rows, cell -> writeValue(json, cell.value()));
      columnArrays(
          json, "status", columns.size(), rows, cell -> json.writeString(cell.status().name()));
      if (metaFull) {
        columnArrays(
            json,
            "event_timestamps",
            columns.size(),
            rows,
            cell -> {
              if (cell.isMissing()) {
                json.writeNull();
              } else {
                json.writeString(Timestamps.format(cell.eventMicros()));
              }
            });
        columnArrays(
            json,
            "ages_ms",
            columns.size(),
            rows,
            cell -> {
              if (cell.isMissing()) {
                json.writeNull();
              } else {
                json.writeNumber(cell.ageMicros() / 1000);
              }
            });
        columnArrays(
            json,
            "tiers",
            columns.size(),
            rows,
            cell -> {
              if (cell.tier() == null) {
                json.writeNull();
              } else {
                json.writeString(cell.tier());
              }
            });
      }
      json.writeEndObject();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private interface CellWriter {
    void write(Cell cell) throws IOException;
  }

  private static void columnArrays(
      JsonGenerator json, String field, int width, List<Cell[]> rows, CellWriter element)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (int c = 0; c < width; c++) {
      json.writeStartArray();
      for (Cell[] row : rows) {
        element.write(row[c]);
      }
      json.writeEndArray();
    }
    json.writeEndArray();
  }

  private static void header(JsonGenerator json, List<Column> columns) throws IOException {
    json.writeStartObject();
    json.writeArrayFieldStart("features");
    for (Column column : columns) {
      json.writeString(column.name());
    }
    json.writeEndArray();
    JsonArray versions = new JsonArray();
    for (Column column : columns) {
      if (column instanceof Column.Transformed) {
        versions.add(
            new JsonObject()
                .put("name", column.name())
                .put("version", ((Column.Transformed) column).version().version()));
      }
    }
    json.writeFieldName("transformations");
    json.writeRawValue(versions.encode());
  }

  /** A feature value as Jackson's generator writes it: Long, Double, Boolean, String or null. */
  private static void writeValue(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Long) {
      json.writeNumber((Long) value);
    } else if (value instanceof Double) {
      json.writeNumber((Double) value);
    } else if (value instanceof Boolean) {
      json.writeBoolean((Boolean) value);
    } else {
      json.writeString(value.toString());
    }
  }
}
