package io.freshet.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.freshet.model.Cell;
import io.freshet.model.JsonValues;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The writer's bytes against a plain generator that writes every field as it comes (the writer
 * before names, statuses and metas were encoded once): identical for every mix of statuses, tiers,
 * event times, MISSING and nullified cells, and values that need escaping. Both format doubles the
 * same way ({@link OnlineDoublesTest} checks that way itself).
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
      OnlineResult result =
          new OnlineResult(
              selection,
              new SelectionJson(selection),
              new EntityRows(Map.of("user_id", keys), entities),
              rows);
      for (boolean metaFull : new boolean[] {true, false}) {
        assertEquals(
            reference(result, metaFull),
            OnlineResponseWriter.write(result, metaFull).toString(StandardCharsets.UTF_8));
      }
    }
  }

  /** Cells that share event times and statuses as a real row's do, and sometimes do not. */
  private Cell[] cells(int count) {
    long[] events = {1_764_000_000_000_000L, 1_764_000_000_123_456L, 1_764_000_001_500_000L};
    Cell[] cells = new Cell[count];
    for (int c = 0; c < count; c++) {
      if (random.nextInt(6) == 0) {
        cells[c] = Cell.MISSING;
        continue;
      }
      Status status = Status.values()[random.nextInt(3)];
      Object value =
          switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> random.nextLong();
            case 2 -> random.nextGaussian() * 1e6;
            case 3 -> random.nextBoolean();
            default -> STRINGS[random.nextInt(STRINGS.length)];
          };
      cells[c] =
          new Cell(
              value,
              events[random.nextInt(events.length)],
              random.nextInt(3) * 1_234_567L + random.nextInt(999),
              status,
              TIERS[random.nextInt(TIERS.length)]);
    }
    return cells;
  }

  private static String reference(OnlineResult result, boolean metaFull) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Column> columns = result.selection().columns();
    JsonFactory factory =
        JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    try (JsonGenerator json = factory.createGenerator(out)) {
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
      json.writeArrayFieldStart("results");
      for (int row = 0; row < result.cells().size(); row++) {
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
}
