package io.freshet.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The label rows a snapshot was taken of, read back from its own output: every row begins with its
 * join keys, its timestamp and its passed-through fields, in that order, so the manifest's columns
 * say where the label part of each line ends. From JSONL the label part is cut from the line as it
 * is (numbers keep their digits); from CSV each cell is typed by its column.
 */
final class OutputLabels {

  private static final JsonFactory JSON = new JsonFactory();

  private OutputLabels() {}

  /** Whether a body is CSV: the manifest says, or else its first byte does. */
  static boolean isCsv(JsonObject manifest, Path body) throws IOException {
    String format = manifest.getString("format");
    if (format != null) {
      return format.equals("csv");
    }
    try (var in = Files.newInputStream(body)) {
      return in.read() != '{';
    }
  }

  /**
   * Writes the label rows of {@code body} to {@code into} as NDJSON; answers how many. {@code
   * joinKeyTypes} types the join keys of a manifest that predates column types.
   */
  static long write(Path body, JsonObject manifest, Map<String, String> joinKeyTypes, Path into)
      throws IOException {
    String firstFeature = manifest.getJsonArray("features").getJsonObject(0).getString("name");
    JsonArray columns = manifest.getJsonArray("columns");
    try (BufferedReader in = Files.newBufferedReader(body, StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(into, StandardCharsets.UTF_8)) {
      return isCsv(manifest, body)
          ? fromCsv(in, out, firstFeature, columns, joinKeyTypes)
          : fromJsonl(in, out, firstFeature);
    }
  }

  private static long fromJsonl(BufferedReader in, BufferedWriter out, String firstFeature)
      throws IOException {
    long rows = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isEmpty()) {
        continue;
      }
      out.write(labelPart(line, firstFeature, rows + 1));
      out.write('\n');
      rows++;
    }
    return rows;
  }

  /** The line up to the first feature's field, closed: the label row as it was parsed. */
  private static String labelPart(String line, String firstFeature, long number)
      throws IOException {
    try (JsonParser json = JSON.createParser(line)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw CliException.failed("line " + number + " is not a snapshot row");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        if (json.currentName().equals(firstFeature)) {
          int at = (int) json.currentTokenLocation().getCharOffset();
          return line.substring(0, at - 1) + "}";
        }
        json.nextToken();
        json.skipChildren();
      }
    }
    throw CliException.failed("line " + number + " has no column '" + firstFeature + "'");
  }

  private static long fromCsv(
      BufferedReader in,
      BufferedWriter out,
      String firstFeature,
      JsonArray columns,
      Map<String, String> joinKeyTypes)
      throws IOException {
    CsvRecords records = new CsvRecords(in);
    List<String> header = records.next();
    int labelColumns = header == null ? -1 : header.indexOf(firstFeature);
    if (labelColumns < 0) {
      throw CliException.failed("the body's header has no column '" + firstFeature + "'");
    }
    List<String> types = new ArrayList<>();
    for (int c = 0; c < labelColumns; c++) {
      String name = header.get(c);
      String type = name.equals("timestamp") ? "timestamp" : joinKeyTypes.get(name);
      if (columns != null) {
        type = columns.getJsonObject(c).getString("type");
      }
      types.add(type);
    }
    long rows = 0;
    for (List<String> record = records.next(); record != null; record = records.next()) {
      StringBuilder row = new StringBuilder("{");
      for (int c = 0; c < labelColumns; c++) {
        row.append(c == 0 ? "" : ",").append(JsonText.string(header.get(c))).append(':');
        String type = types.get(c);
        row.append(
            type != null ? JsonText.typed(record.get(c), type) : JsonText.guessed(record.get(c)));
      }
      out.write(row.append("}\n").toString());
      rows++;
    }
    return rows;
  }
}
