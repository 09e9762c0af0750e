package io.freshet.encoding;

import io.freshet.model.Cell;
import io.freshet.model.Digests;
import io.freshet.model.Status;
import io.freshet.model.ValueType;
import io.freshet.selection.Column;
import io.freshet.transform.ColumnStatistics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
public final class SnapshotEncoder {

  private static final byte[] TIMESTAMP_FIELD = RowBytes.jsonField("timestamp");
  private static final Status[] STATUSES = Status.values();

  private final SnapshotLayout layout;
  private final TimestampPrecision precision;
  private final MessageDigest digest;

  // JSON field names with their colon, escaped and encoded once rather than on every row.
  private final byte[][] keyFields;
  private final byte[][] labelFields;
  private final byte[][] columnFields;
  private final byte[][] timestampFields;
  private final byte[][] statusFields;

  // Per status, its text as written: quoted for JSON, bare for CSV.
  private final byte[][] jsonStatuses = new byte[STATUSES.length][];
  private final byte[][] csvStatuses = new byte[STATUSES.length][];
  private volatile int rowBytesHint = 128;
  private long rows;
  private long futureValues;

  /** Per column index, the statistics kept of it; null for a column no fit reads. */
  private final ColumnStatistics[] statistics;

  /** Per column index, its profile over the rows emitted so far. */
  private final ColumnProfile[] profiles;

  private final ValueType[] types;

  /** {@code tracked}: per feature name, the quantiles fitted transformations will ask of it. */
  public SnapshotEncoder(
      SnapshotLayout layout, Map<String, SortedSet<ColumnStatistics.Fraction>> tracked) {
    this.layout = layout;
    this.precision = layout.timestampPrecision();
    this.digest = Digests.create("SHA-256");
    List<Column> columns = layout.columns();
    this.keyFields = new byte[layout.joinKeys().size()][];
    for (int k = 0; k < keyFields.length; k++) {
      keyFields[k] = RowBytes.jsonField(layout.joinKeys().get(k));
    }
    this.labelFields = new byte[layout.labelFields().size()][];
    for (int f = 0; f < labelFields.length; f++) {
      labelFields[f] = RowBytes.jsonField(layout.labelFields().get(f));
    }
    this.columnFields = new byte[columns.size()][];
    this.timestampFields = new byte[columns.size()][];
    this.statusFields = new byte[columns.size()][];
    for (int c = 0; c < columns.size(); c++) {
      String name = columns.get(c).name();
      columnFields[c] = RowBytes.jsonField(name);
      timestampFields[c] = RowBytes.jsonField(name + SnapshotLayout.EVENT_TIMESTAMP_SUFFIX);
      statusFields[c] = RowBytes.jsonField(name + SnapshotLayout.STATUS_SUFFIX);
    }
    for (Status status : STATUSES) {
      csvStatuses[status.ordinal()] = status.name().getBytes(StandardCharsets.US_ASCII);
      jsonStatuses[status.ordinal()] =
          ('"' + status.name() + '"').getBytes(StandardCharsets.US_ASCII);
    }
    this.types = new ValueType[columns.size()];
    this.profiles = new ColumnProfile[columns.size()];
    for (int c = 0; c < types.length; c++) {
      types[c] = SnapshotColumns.type(columns.get(c));
      profiles[c] = new ColumnProfile(types[c]);
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
  public JsonObject statistics() {
    JsonObject out = new JsonObject();
    for (int c = 0; c < statistics.length; c++) {
      if (statistics[c] != null) {
        out.put(layout.columns().get(c).name(), statistics[c].toJson());
      }
    }
    return out;
  }

  /** The manifest's {@code profile}: every feature column, in body order. */
  public JsonObject profile() {
    JsonArray columns = new JsonArray();
    for (int c = 0; c < profiles.length; c++) {
      columns.add(profiles[c].toJson(layout.columns().get(c).name()));
    }
    return new JsonObject().put("columns", columns);
  }

  /** Per numeric column's name, its serialized quantile sketch (kept apart from the manifest). */
  public JsonObject profileSketches() {
    JsonObject out = new JsonObject();
    for (int c = 0; c < profiles.length; c++) {
      String sketch = profiles[c].sketch();
      if (sketch != null) {
        out.put(layout.columns().get(c).name(), sketch);
      }
    }
    return out;
  }

  public long rows() {
    return rows;
  }

  public long futureValues() {
    return futureValues;
  }

  public String sha256() {
    return Digests.hex(digest);
  }

  /** The CSV header line; nothing for JSONL. */
  public Buffer header() {
    if (layout.format() != OutputFormat.CSV) {
      return Buffer.buffer();
    }
    StringBuilder line = new StringBuilder();
    for (String key : layout.joinKeys()) {
      line.append(Csv.field(key)).append(',');
    }
    line.append("timestamp");
    for (String field : layout.labelFields()) {
      line.append(',').append(Csv.field(field));
    }
    for (Column column : layout.columns()) {
      line.append(',').append(Csv.field(column.name()));
      if (layout.includeTimestamps()) {
        line.append(',').append(Csv.field(column.name() + SnapshotLayout.EVENT_TIMESTAMP_SUFFIX));
      }
      if (layout.includeStatus()) {
        line.append(',').append(Csv.field(column.name() + SnapshotLayout.STATUS_SUFFIX));
      }
    }
    byte[] bytes = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    digest.update(bytes);
    return Buffer.buffer(bytes);
  }

  /**
   * A run of consecutive rows, encoded, profiled and audited, but not yet counted or digested. It
   * keeps what {@link #emit} needs and not the rows' cells: a chunk may wait a while for the ones
   * before it (longer while serving is pressed), and cells kept that long would be copied by every
   * young collection meanwhile, lengthening the pauses online reads see.
   *
   * @param futureValues values whose event is later than their row's time
   * @param statisticsValues per column, its values in row order for the statistics a fit reads
   *     (null for a column no fit reads), added in row order when emitted
   */
  public record Chunk(
      int rows,
      RowBytes bytes,
      ChunkProfile[] profiles,
      long futureValues,
      Object[][] statisticsValues) {}

  /**
   * Encodes rows {@code from .. from + cells.length}. Touches nothing the encoder keeps but a size
   * hint, so chunks can be encoded on several threads at once; {@link #emit(Chunk)} then takes them
   * in order.
   */
  public Chunk encode(LabelRows labels, int from, Cell[][] cells) {
    RowBytes out = new RowBytes(cells.length * rowBytesHint);
    // Profiled here, on the encoding thread of the chunk, and merged in row order when emitted.
    ChunkProfile[] chunkProfiles = new ChunkProfile[types.length];
    ChunkLevels levels = ChunkLevels.of(from, cells.length);
    for (int c = 0; c < types.length; c++) {
      chunkProfiles[c] = profiles[c].chunk(levels, labels.size());
    }
    byte[] rowLevels = levels.levels();
    for (int i = 0; i < cells.length; i++) {
      if (layout.format() == OutputFormat.CSV) {
        csvRow(out, labels, from + i, cells[i], chunkProfiles, rowLevels[i]);
      } else {
        jsonRow(out, labels, from + i, cells[i], chunkProfiles, rowLevels[i]);
      }
    }
    if (cells.length > 0) {
      // Sized from what rows took so far, so a chunk's array grows at most once or twice.
      rowBytesHint = Math.max(rowBytesHint, out.size() / cells.length + 16);
    }
    return new Chunk(
        cells.length,
        out,
        chunkProfiles,
        futureValues(labels, from, cells),
        statisticsValues(cells));
  }

  /** The leakage audit of a chunk: how many values have an event later than their row's time. */
  private static long futureValues(LabelRows labels, int from, Cell[][] cells) {
    long future = 0;
    for (int i = 0; i < cells.length; i++) {
      long atMicros = labels.at(from + i);
      for (Cell cell : cells[i]) {
        if (cell.meta().hasEvent() && cell.eventMicros() > atMicros) {
          future++;
        }
      }
    }
    return future;
  }

  private Object[][] statisticsValues(Cell[][] cells) {
    Object[][] values = new Object[statistics.length][];
    for (int c = 0; c < statistics.length; c++) {
      if (statistics[c] != null) {
        values[c] = new Object[cells.length];
        for (int i = 0; i < cells.length; i++) {
          values[c][i] = cells[i][c].value();
        }
      }
    }
    return values;
  }

  /**
   * Counts the next chunk, adds its audit and its values to the statistics, and digests it, in row
   * order (the statistics' sums and the digest depend on it), and answers its bytes.
   */
  public Buffer emit(Chunk chunk) {
    futureValues += chunk.futureValues();
    for (int c = 0; c < statistics.length; c++) {
      if (statistics[c] != null) {
        for (Object value : chunk.statisticsValues()[c]) {
          statistics[c].add(value);
        }
      }
    }
    rows += chunk.rows();
    for (int c = 0; c < profiles.length; c++) {
      profiles[c].merge(chunk.profiles()[c]);
    }
    digest.update(chunk.bytes().array(), 0, chunk.bytes().size());
    return chunk.bytes().toBuffer();
  }

  /** The last line of a body that failed after streaming began; it ends the digest's use. */
  public Buffer error(String code, String message) {
    String line =
        layout.format() == OutputFormat.CSV
            ? "#error " + code + " " + message.replace('\n', ' ') + "\n"
            : new JsonObject().put("error", code).put("message", message).encode() + "\n";
    return Buffer.buffer(line);
  }

  /**
   * One object a line, byte for byte what Jackson's generator wrote for it before (the tests hold
   * it to that): numbers bare, non-finite doubles quoted, strings escaped by Jackson's encoder.
   */
  private void jsonRow(
      RowBytes out,
      LabelRows labels,
      int row,
      Cell[] cells,
      ChunkProfile[] chunkProfiles,
      byte rowLevel) {
    out.write('{');
    for (int k = 0; k < keyFields.length; k++) {
      if (k > 0) {
        out.write(',');
      }
      out.write(keyFields[k]);
      out.jsonValue(labels.keyOf(row, k), layout.numberFormat());
    }
    if (keyFields.length > 0) {
      out.write(',');
    }
    out.write(TIMESTAMP_FIELD);
    out.jsonTimestamp(labels.at(row), precision);
    List<LabelField> fields = labels.labelFields();
    for (int f = 0; f < labelFields.length; f++) {
      out.write(',');
      out.write(labelFields[f]);
      fields.get(f).writeJson(row, out);
    }
    for (int c = 0; c < cells.length; c++) {
      out.write(',');
      out.write(columnFields[c]);
      Object value = cells[c].value();
      out.jsonValue(value, layout.numberFormat());
      chunkProfiles[c].add(value, rowLevel);
      if (layout.includeTimestamps()) {
        out.write(',');
        out.write(timestampFields[c]);
        if (!cells[c].meta().hasEvent()) {
          out.ascii("null");
        } else {
          out.jsonTimestamp(cells[c].eventMicros(), precision);
        }
      }
      if (layout.includeStatus()) {
        out.write(',');
        out.write(statusFields[c]);
        out.write(jsonStatuses[cells[c].status().ordinal()]);
      }
    }
    out.write('}');
    out.write('\n');
  }

  private void csvRow(
      RowBytes out,
      LabelRows labels,
      int row,
      Cell[] cells,
      ChunkProfile[] chunkProfiles,
      byte rowLevel) {
    for (int k = 0; k < labels.joinKeys(); k++) {
      csvValue(out, labels.keyOf(row, k));
      out.write(',');
    }
    out.timestamp(labels.at(row), precision);
    for (LabelField field : labels.labelFields()) {
      out.write(',');
      field.writeCsv(row, out);
    }
    for (int c = 0; c < cells.length; c++) {
      Cell cell = cells[c];
      out.write(',');
      Object value = cell.value();
      csvValue(out, value);
      chunkProfiles[c].add(value, rowLevel);
      if (layout.includeTimestamps()) {
        out.write(',');
        if (cell.meta().hasEvent()) {
          out.timestamp(cell.eventMicros(), precision);
        }
      }
      if (layout.includeStatus()) {
        out.write(',');
        out.write(csvStatuses[cell.status().ordinal()]);
      }
    }
    out.write('\n');
  }

  /**
   * Numbers and booleans never need quoting (in JSON either); text goes through {@link Csv#value}.
   */
  private void csvValue(RowBytes out, Object value) {
    if (value instanceof Long) {
      out.decimal((Long) value);
    } else if (value instanceof Double) {
      layout.numberFormat().write((Double) value, out);
    } else if (value instanceof Boolean) {
      out.ascii(value.toString());
    } else if (value != null) {
      out.utf8(Csv.value(value));
    }
  }
}
