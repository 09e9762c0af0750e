package io.freshet.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A labels file turned into the NDJSON rows a historical request sends. NDJSON is sent as it is;
 * CSV is read with its header: join keys by their entity's type, {@code timestamp} as text, and
 * every other column (a label, a weight, an id) a number or a boolean when it reads as one, else
 * text, so that it passes through as it was meant.
 */
final class LabelsFile {

  private LabelsFile() {}

  static boolean isCsv(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  /** Writes the rows of a CSV labels file as NDJSON to {@code into}; answers how many. */
  static long csvToNdjson(Path csv, Map<String, String> joinKeyTypes, Path into)
      throws IOException {
    long rows = 0;
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(into, StandardCharsets.UTF_8)) {
      CsvRecords records = new CsvRecords(in);
      List<String> header = records.next();
      if (header == null) {
        throw CliException.failed(csv + " is empty: a CSV file starts with a header line");
      }
      for (List<String> record = records.next(); record != null; record = records.next()) {
        if (record.size() != header.size()) {
          throw CliException.failed(
              csv
                  + " line "
                  + records.recordLine()
                  + ": "
                  + record.size()
                  + " fields where the header names "
                  + header.size());
        }
        StringBuilder row = new StringBuilder("{");
        for (int c = 0; c < header.size(); c++) {
          String name = header.get(c);
          String type = name.equals("timestamp") ? "timestamp" : joinKeyTypes.get(name);
          row.append(c == 0 ? "" : ",").append(JsonText.string(name)).append(':');
          row.append(
              type != null ? JsonText.typed(record.get(c), type) : JsonText.guessed(record.get(c)));
        }
        out.write(row.append("}\n").toString());
        rows++;
      }
    }
    return rows;
  }

  /**
   * The join keys of every entity the features read, with their types ({@code int64} or {@code
   * string}): the features named, or a feature service's.
   */
  static Map<String, String> joinKeyTypes(JsonObject registry, String service, List<String> names) {
    List<String> items = names;
    if (service != null) {
      JsonObject definition =
          IngestCommand.named(registry.getJsonArray("feature_services"), service);
      if (definition == null) {
        throw CliException.failed("unknown feature service '" + service + "'");
      }
      items = definition.getJsonArray("features").getList();
    }
    Map<String, String> types = new HashMap<>();
    for (String item : items) {
      String name = item.contains("@") ? item.substring(0, item.indexOf('@')) : item;
      if (name.contains(":")) {
        addJoinKey(registry, name.substring(0, name.indexOf(':')), types);
        continue;
      }
      JsonObject transformation =
          IngestCommand.named(registry.getJsonArray("transformations"), name);
      if (transformation != null) {
        JsonArray inputs = transformation.getJsonArray("inputs");
        for (int i = 0; i < inputs.size(); i++) {
          String input = inputs.getString(i);
          addJoinKey(registry, input.substring(0, input.indexOf(':')), types);
        }
      }
    }
    return types;
  }

  private static void addJoinKey(JsonObject registry, String view, Map<String, String> types) {
    JsonObject definition = IngestCommand.named(registry.getJsonArray("feature_views"), view);
    if (definition != null) {
      JsonObject entity =
          IngestCommand.named(registry.getJsonArray("entities"), definition.getString("entity"));
      types.put(entity.getString("join_key"), entity.getString("type"));
    }
  }
}
