package io.freshet.pit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.freshet.Digests;
import io.freshet.registry.EntityDef;
import io.freshet.store.Cell;
import io.freshet.store.Column;
import io.freshet.store.JsonValues;
import io.freshet.store.Timestamps;
import io.freshet.transform.ColumnStatistics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Writes snapshot rows as JSONL or CSV and keeps, over exactly the bytes it hands out, the SHA-256,
 * the leakage audit, and the statistics that fitted transformations are later fitted from. The
 * audit looks only at what is written: every value's event time against its row's time, whatever
 * query produced it; the statistics see exactly the values written.
 */
final class SnapshotEncoder {

  static final String TIMESTAMP_SUFFIX = "__event_timestamp";
  private static final JsonFactory JSON = new JsonFactory();
  private static final SerializedString TIMESTAMP_NAME = new SerializedString("timestamp");

  private final SnapshotRequest request;
  private final MessageDigest digest;

  // JSON field names, escaped once rather than on every row.
  private final SerializedString[] keyNames;
  private final SerializedString[] columnNames;
  private final SerializedString[] timestampNames;
  private long rows;
  private long futureValues;

  /** Per column index, the statistics kept of it; null for a column no fit reads. */
  private final ColumnStatistics[] statistics;

  SnapshotEncoder(
      SnapshotRequest request, Map<String, SortedSet<ColumnStatistics.Fraction>> tracked) {
    this.request = request;
    this.digest = Digests.create("SHA-256");
    List<Column> columns = request.selection().columns();
    this.keyNames = new SerializedString[request.joinKeys().size()];
    for (int k = 0; k < keyNames.length; k++) {
      keyNames[k] = new SerializedString(request.joinKeys().get(k).joinKey());
    }
    this.columnNames = new SerializedString[columns.size()];
    this.timestampNames = new SerializedString[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      columnNames[c] = new SerializedString(columns.get(c).name());
      timestampNames[c] = new SerializedString(columns.get(c).name() + TIMESTAMP_SUFFIX);
    }
    this.statistics = new ColumnStatistics[columns.size()];
    for (int c = 0; c < statistics.length; c++) {
      if (columns.get(c) instanceof Column.Raw && tracked.containsKey(columns.get(c).name())) {
        Column.Raw raw = (Column.Raw) columns.get(c);
        statistics[c] = new ColumnStatistics(raw.feature().type(), tracked.get(raw.name()));
      }
    }
  }

  /** The kept statistics by full feature name. */
  JsonObject statistics() {
    JsonObject out = new JsonObject();
    for (int c = 0; c < statistics.length; c++) {
      if (statistics[c] != null) {
        out.put(request.selection().columns().get(c).name(), statistics[c].toJson());
      }
    }
    return out;
  }

  long rows() {
    return rows;
  }

  long futureValues() {
    return futureValues;
  }

  String sha256() {
    return Digests.hex(digest);
  }

  /** The CSV header line; nothing for JSONL. */
  Buffer header() {
    if (request.format() != OutputFormat.CSV) {
      return Buffer.buffer();
    }
    StringBuilder line = new StringBuilder();
    for (EntityDef key : request.joinKeys()) {
      line.append(Csv.field(key.joinKey())).append(',');
    }
    line.append("timestamp");
    for (Column column : request.selection().columns()) {
      line.append(',').append(Csv.field(column.name()));
      if (request.includeTimestamps()) {
        line.append(',').append(Csv.field(column.name() + TIMESTAMP_SUFFIX));
      }
    }
    return emit(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A run of consecutive rows, encoded but not yet counted, audited or digested. */
  record Chunk(int from, Cell[][] cells, byte[] bytes) {}

  /**
   * Encodes rows {@code from .. from + cells.length}. Touches nothing the encoder keeps, so chunks
   * can be encoded on several threads at once; {@link #emit(LabelTable, Chunk)} then takes them in
   * order.
   */
  Chunk encode(LabelTable labels, int from, Cell[][] cells) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(cells.length * 128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      // Rows are separated by the newlines written after each; no extra separator between them.
      json.setRootValueSeparator(null);
      for (int i = 0; i < cells.length; i++) {
        int row = from + i;
        if (request.format() == OutputFormat.CSV) {
          json.writeRaw(csvRow(labels, row, cells[i]));
        } else {
          jsonRow(json, labels, row, cells[i]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Chunk(from, cells, out.toByteArray());
  }

  /**
   * Counts, audits and digests the next chunk, in row order (the statistics' sums and the digest
   * depend on it), and answers its bytes.
   */
  Buffer emit(LabelTable labels, Chunk chunk) {
    Cell[][] cells = chunk.cells();
    for (int i = 0; i < cells.length; i++) {
      audit(labels.at(chunk.from() + i), cells[i]);
    }
    rows += cells.length;
    return emit(chunk.bytes());
  }

  /** The last line of a body that failed after streaming began; it ends the digest's use. */
  Buffer error(String code, String message) {
    String line =
        request.format() == OutputFormat.CSV
            ? "#error " + code + " " + message.replace('\n', ' ') + "\n"
            : new JsonObject().put("error", code).put("message", message).encode() + "\n";
    return Buffer.buffer(line);
  }

  private void audit(long atMicros, Cell[] cells) {
    for (int c = 0; c < cells.length; c++) {
      Cell cell = cells[c];
      if (!cell.isMissing() && cell.eventMicros() > atMicros) {
        futureValues++;
      }
      if (statistics[c] != null) {
        statistics[c].add(cell.value());
      }
    }
  }

  private Buffer emit(byte[] bytes) {
    digest.update(bytes);
    return Buffer.buffer(bytes);
  }

  /** One line; a single generator writes a whole chunk, the rows separated by raw newlines. */
  private void jsonRow(JsonGenerator json, LabelTable labels, int row, Cell[] cells)
      throws IOException {
    json.writeStartObject();
    for (int k = 0; k < keyNames.length; k++) {
      json.writeFieldName(keyNames[k]);
      JsonValues.write(json, labels.keyOf(row, k));
    }
    json.writeFieldName(TIMESTAMP_NAME);
    json.writeString(Timestamps.format(labels.at(row)));
    for (int c = 0; c < cells.length; c++) {
      json.writeFieldName(columnNames[c]);
      JsonValues.write(json, cells[c].value());
      if (request.includeTimestamps()) {
        json.writeFieldName(timestampNames[c]);
        JsonValues.write(json, eventTime(cells[c]));
      }
    }
    json.writeEndObject();
    json.writeRaw('\n');
  }

  private String csvRow(LabelTable labels, int row, Cell[] cells) {
    StringBuilder line = new StringBuilder(128);
    for (int k = 0; k < labels.joinKeys(); k++) {
      line.append(Csv.value(labels.keyOf(row, k))).append(',');
    }
    line.append(Timestamps.format(labels.at(row)));
    for (Cell cell : cells) {
      line.append(',').append(Csv.value(cell.value()));
      if (request.includeTimestamps()) {
        line.append(',').append(Csv.value(eventTime(cell)));
      }
    }
    return line.append('\n').toString();
  }

  private static String eventTime(Cell cell) {
    return cell.isMissing() ? null : Timestamps.format(cell.eventMicros());
  }
}
