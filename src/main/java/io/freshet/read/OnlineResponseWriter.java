package io.freshet.read;

import io.freshet.encoding.NumberFormat;
import io.freshet.encoding.RowBytes;
import io.freshet.model.CellMeta;
import io.freshet.model.Status;
import io.vertx.core.buffer.Buffer;

/**
 * Writes an online answer straight into bytes: what does not change from one value to the next
 * (names, statuses, the selection's arrays) is copied from fragments encoded once, a value costs
 * little more than its own digits, and the meta of a record's values is encoded once per row and
 * copied for the others. Doubles are written in their shortest round-trip form, as snapshots write
 * them by default.
 */
final class OnlineResponseWriter {

  private static final byte[] RESULTS = RowBytes.jsonField("results");
  private static final byte[] ENTITY = RowBytes.jsonField("entity");
  private static final byte[] ENTITIES = RowBytes.jsonField("entities");
  private static final byte[] VALUES = RowBytes.jsonField("values");
  private static final byte[] META = RowBytes.jsonField("meta");
  private static final byte[] STATUS = RowBytes.jsonField("status");
  private static final byte[] EVENT_TIMESTAMPS = RowBytes.jsonField("event_timestamps");
  private static final byte[] AGES_MS = RowBytes.jsonField("ages_ms");
  private static final byte[] TIERS = RowBytes.jsonField("tiers");
  private static final byte[] EVENT_TIMESTAMP = RowBytes.jsonField("event_timestamp");
  private static final byte[] AGE_MS = RowBytes.jsonField("age_ms");
  private static final byte[] TIER = RowBytes.jsonField("tier");
  private static final byte[] WINDOW = RowBytes.jsonField("window");
  private static final byte[] WINDOWS = RowBytes.jsonField("windows");
  private static final byte[] START = RowBytes.jsonField("start");
  private static final byte[] END = RowBytes.jsonField("end");
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] MISSING_META =
      ascii("{\"event_timestamp\":null,\"age_ms\":null,\"status\":\"MISSING\",\"tier\":null}");
  private static final byte[][] STATUS_NAMES = new byte[Status.values().length][];

  static {
    for (Status status : Status.values()) {
      STATUS_NAMES[status.ordinal()] = RowBytes.quoted(status.name());
    }
  }

  private OnlineResponseWriter() {}

  private static byte[] ascii(String text) {
    RowBytes out = new RowBytes(text.length());
    out.ascii(text);
    return out.toArray();
  }

  static Buffer write(OnlineResult result, boolean metaFull, boolean byColumn) {
    int rows = result.values().length;
    RowBytes out = new RowBytes(result.plan().answerBytes(rows, metaFull, byColumn));
    out.write('{');
    out.write(result.plan().header);
    out.write(',');
    if (byColumn) {
      columns(out, result, metaFull);
    } else {
      rows(out, result, metaFull);
    }
    out.write('}');
    result.plan().answered(rows, metaFull, byColumn, out.size());
    return out.toBuffer();
  }

  /** {@code "results": [{"entity", "values", "meta"}, ...]}, one object per entity. */
  private static void rows(RowBytes out, OnlineResult result, boolean metaFull) {
    ReadPlan plan = result.plan();
    EntityRows entities = result.entities();
    byte[][] keyFields = keyFields(entities);
    RowMetas written = metaFull ? new RowMetas(plan.width()) : null;
    out.write(RESULTS);
    out.write('[');
    for (int row = 0; row < entities.size(); row++) {
      if (row > 0) {
        out.write(',');
      }
      out.write('{');
      out.write(ENTITY);
      out.write('{');
      for (int k = 0; k < keyFields.length; k++) {
        if (k > 0) {
          out.write(',');
        }
        out.write(keyFields[k]);
        out.jsonValue(entities.key(k, row), NumberFormat.SHORTEST);
      }
      out.write('}');
      out.write(',');
      out.write(VALUES);
      out.write('{');
      Object[] values = result.values()[row];
      for (int c = 0; c < values.length; c++) {
        if (c > 0) {
          out.write(',');
        }
        out.write(plan.fieldNames[c]);
        out.jsonValue(values[c], NumberFormat.SHORTEST);
      }
      out.write('}');
      out.write(',');
      out.write(META);
      out.write('{');
      CellMeta[] metas = result.metas()[row];
      if (written != null) {
        written.clear();
      }
      for (int c = 0; c < metas.length; c++) {
        if (c > 0) {
          out.write(',');
        }
        out.write(plan.fieldNames[c]);
        if (written == null) {
          out.write(STATUS_NAMES[metas[c].status().ordinal()]);
        } else {
          written.write(out, metas[c]);
        }
      }
      out.write('}');
      out.write('}');
    }
    out.write(']');
  }

  /**
   * {@code "entities"} as asked, then per feature an array with one element per entity: {@code
   * "values"}, {@code "status"} and, with full meta, {@code "event_timestamps"}, {@code "ages_ms"}
   * and {@code "tiers"}.
   */
  private static void columns(RowBytes out, OnlineResult result, boolean metaFull) {
    EntityRows entities = result.entities();
    byte[][] keyFields = keyFields(entities);
    out.write(ENTITIES);
    out.write('{');
    for (int k = 0; k < keyFields.length; k++) {
      if (k > 0) {
        out.write(',');
      }
      out.write(keyFields[k]);
      out.write('[');
      for (int row = 0; row < entities.size(); row++) {
        if (row > 0) {
          out.write(',');
        }
        out.jsonValue(entities.key(k, row), NumberFormat.SHORTEST);
      }
      out.write(']');
    }
    out.write('}');
    array(
        out,
        VALUES,
        result,
        (o, values, metas, row, c) -> o.jsonValue(values[row][c], NumberFormat.SHORTEST));
    array(
        out,
        STATUS,
        result,
        (o, values, metas, row, c) -> o.write(STATUS_NAMES[metas[row][c].status().ordinal()]));
    if (metaFull) {
      array(out, EVENT_TIMESTAMPS, result, OnlineResponseWriter::eventTimestamp);
      array(out, AGES_MS, result, OnlineResponseWriter::ageMs);
      array(out, TIERS, result, OnlineResponseWriter::tier);
      if (result.plan().windowed) {
        array(out, WINDOWS, result, (o, values, metas, row, c) -> window(o, metas[row][c]));
      }
    }
  }

  /** Writes one element of a column array: the value or meta field of one entity and column. */
  private interface Element {
    void write(RowBytes out, Object[][] values, CellMeta[][] metas, int row, int column);
  }

  private static void array(RowBytes out, byte[] field, OnlineResult result, Element element) {
    Object[][] values = result.values();
    CellMeta[][] metas = result.metas();
    out.write(',');
    out.write(field);
    out.write('[');
    for (int c = 0; c < result.plan().width(); c++) {
      if (c > 0) {
        out.write(',');
      }
      out.write('[');
      for (int row = 0; row < values.length; row++) {
        if (row > 0) {
          out.write(',');
        }
        element.write(out, values, metas, row, c);
      }
      out.write(']');
    }
    out.write(']');
  }

  /** {@code {"start": TS, "end": TS}} of an aggregation's window, null for anything else. */
  private static void window(RowBytes out, CellMeta meta) {
    if (meta.isMissing() || !meta.hasWindow()) {
      out.write(NULL);
      return;
    }
    out.write('{');
    out.write(START);
    out.jsonTimestamp(meta.windowStart());
    out.write(',');
    out.write(END);
    out.jsonTimestamp(meta.windowEnd());
    out.write('}');
  }

  private static void eventTimestamp(
      RowBytes out, Object[][] values, CellMeta[][] metas, int row, int c) {
    if (!metas[row][c].hasEvent()) {
      out.write(NULL);
    } else {
      out.jsonTimestamp(metas[row][c].eventMicros());
    }
  }

  private static void ageMs(RowBytes out, Object[][] values, CellMeta[][] metas, int row, int c) {
    if (metas[row][c].isMissing()) {
      out.write(NULL);
    } else {
      out.decimal(metas[row][c].ageMicros() / 1000);
    }
  }

  private static void tier(RowBytes out, Object[][] values, CellMeta[][] metas, int row, int c) {
    String tier = metas[row][c].tier();
    if (tier == null) {
      out.write(NULL);
    } else {
      out.jsonString(tier);
    }
  }

  private static byte[][] keyFields(EntityRows entities) {
    byte[][] fields = new byte[entities.joinKeys().length][];
    for (int k = 0; k < fields.length; k++) {
      fields[k] = RowBytes.jsonField(entities.joinKeys()[k]);
    }
    return fields;
  }

  /**
   * The full metas already written in the current row, by object: the values of one record share
   * one, so it is encoded once and its bytes copied for the rest. A row has about as many as it has
   * views, so a scan beats a map.
   */
  private static final class RowMetas {
    private final CellMeta[] metas;
    private final int[] at;
    private final int[] length;
    private int size;

    RowMetas(int width) {
      metas = new CellMeta[width];
      at = new int[width];
      length = new int[width];
    }

    void clear() {
      size = 0;
    }

    void write(RowBytes out, CellMeta meta) {
      if (meta.isMissing()) {
        out.write(MISSING_META);
        return;
      }
      for (int i = 0; i < size; i++) {
        if (metas[i] == meta) {
          out.repeat(at[i], length[i]);
          return;
        }
      }
      int start = out.size();
      out.write('{');
      out.write(EVENT_TIMESTAMP);
      if (meta.hasEvent()) {
        out.jsonTimestamp(meta.eventMicros());
      } else {
        out.write(NULL);
      }
      out.write(',');
      out.write(AGE_MS);
      out.decimal(meta.ageMicros() / 1000);
      out.write(',');
      out.write(STATUS);
      out.write(STATUS_NAMES[meta.status().ordinal()]);
      out.write(',');
      out.write(TIER);
      if (meta.tier() == null) {
        out.write(NULL);
      } else {
        out.jsonString(meta.tier());
      }
      if (meta.hasWindow()) {
        out.write(',');
        out.write(WINDOW);
        window(out, meta);
      }
      out.write('}');
      metas[size] = meta;
      at[size] = start;
      length[size++] = out.size() - start;
    }
  }
}
