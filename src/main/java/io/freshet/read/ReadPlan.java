package io.freshet.read;

import io.freshet.encoding.RowBytes;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.metrics.ServedValues;
import io.freshet.model.RecordShape;
import io.freshet.registry.FeatureView;
import io.freshet.selection.Column;
import io.freshet.selection.FeatureSelection;
import io.freshet.tiles.ViewTiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything an online read of one selection needs that does not change from one request to the
 * next, worked out once when the selection is first read: which view and record position each
 * stored column reads, which columns are computed, each view's meters, and the response's fixed
 * bytes (names, the {@code features} and {@code transformations} arrays).
 */
final class ReadPlan {

  final FeatureSelection selection;

  /** Per view of the selection, in its order. */
  final FeatureView[] views;

  final RecordShape[] shapes;
  final ServedValues.View[] meters;

  /** Per view: its tiles when it is an event view (its values are aggregations), else null. */
  final ViewTiles[] tiles;

  /** Whether any column is an aggregation: the columns layout then says each one's window. */
  final boolean windowed;

  /** Per view: how many of the selection's stored features it holds (values per record served). */
  final int[] rawsOfView;

  /** Per raw slot: its view, and the position of its feature in that view's records. */
  final int[] rawView;

  final int[] rawPosition;

  /** Per output column: the raw slot a stored column shows, or -1 for a computed one. */
  final int[] columnSlot;

  /** The output columns a transformation computes, in order. */
  final int[] computed;

  /** Per output column: {@code "name":}, to write before its value. */
  final byte[][] fieldNames;

  /** Per output column: {@code "name"}, the column's name as a JSON string. */
  final byte[][] quotedNames;

  /**
   * {@code "features":[...],"transformations":[...]}: what every answer of this plan starts with.
   */
  final byte[] header;

  /**
   * Per answer shape (meta full or status, rows or columns layout): the bytes a row took in the
   * last answer of that shape, a little more, so that the next answer's array is allocated at its
   * size once instead of grown. Grown, a batch answer of hundreds of kilobytes was allocated,
   * zeroed and copied twice: a tenth of a batch read's profile (BENCHMARKS.md, "Dense profiles").
   * Written and read without ordering: a stale hint only costs a growth.
   */
  private final int[] bytesPerRow = new int[4];

  /**
   * The most an answer's array is allocated at ahead of writing; a larger answer grows to its size.
   * One answer of long values must not make every later one of many rows reserve gigabytes.
   */
  static final int MOST_AHEAD = 4 << 20;

  ReadPlan(FeatureSelection selection, FreshetMetrics metrics) {
    this.selection = selection;
    List<FeatureView> selected = selection.views();
    this.views = selected.toArray(new FeatureView[0]);
    this.shapes = new RecordShape[views.length];
    this.meters = new ServedValues.View[views.length];
    this.tiles = new ViewTiles[views.length];
    boolean anyEvents = false;
    for (int v = 0; v < views.length; v++) {
      shapes[v] = views[v].shape();
      meters[v] = metrics.viewReads(views[v].name());
      if (views[v].isEvents()) {
        tiles[v] = new ViewTiles(views[v]);
        anyEvents = true;
      }
    }
    this.windowed = anyEvents;
    List<Column.Raw> raws = selection.raws();
    this.rawView = new int[raws.size()];
    this.rawPosition = new int[raws.size()];
    this.rawsOfView = new int[views.length];
    for (int r = 0; r < rawView.length; r++) {
      rawView[r] = selection.rawView(r);
      rawPosition[r] = shapes[rawView[r]].position(raws.get(r).feature().name());
      rawsOfView[rawView[r]]++;
    }
    List<Column> columns = selection.columns();
    this.columnSlot = new int[columns.size()];
    this.fieldNames = new byte[columns.size()][];
    this.quotedNames = new byte[columns.size()][];
    List<Integer> computedColumns = new ArrayList<>();
    JsonArray featureNames = new JsonArray();
    JsonArray versions = new JsonArray();
    for (int c = 0; c < columns.size(); c++) {
      Column column = columns.get(c);
      columnSlot[c] = selection.function(c) == null ? selection.slots(c)[0] : -1;
      if (columnSlot[c] < 0) {
        computedColumns.add(c);
      }
      fieldNames[c] = RowBytes.jsonField(column.name());
      quotedNames[c] = RowBytes.quoted(column.name());
      featureNames.add(column.name());
      if (column instanceof Column.Transformed) {
        versions.add(
            new JsonObject()
                .put("name", column.name())
                .put("version", ((Column.Transformed) column).version().version()));
      }
    }
    this.computed = computedColumns.stream().mapToInt(Integer::intValue).toArray();
    RowBytes header = new RowBytes(256);
    header.write(RowBytes.jsonField("features"));
    header.utf8(featureNames.encode());
    header.write(',');
    header.write(RowBytes.jsonField("transformations"));
    header.utf8(versions.encode());
    this.header = header.toArray();
  }

  int width() {
    return columnSlot.length;
  }

  private static int shape(boolean metaFull, boolean byColumn) {
    return (metaFull ? 2 : 0) + (byColumn ? 1 : 0);
  }

  /** What to allocate for an answer of {@code rows} rows in this shape. */
  int answerBytes(int rows, boolean metaFull, boolean byColumn) {
    int perRow = bytesPerRow[shape(metaFull, byColumn)];
    if (perRow == 0) {
      // A value with its name and meta, about; the first answer of a shape sets the hint.
      perRow = (metaFull ? 120 : 60) * width();
    }
    return (int) Math.min(MOST_AHEAD, 256 + (long) rows * perRow);
  }

  /** An answer of {@code rows} rows in this shape took {@code bytes}. */
  void answered(int rows, boolean metaFull, boolean byColumn, int bytes) {
    if (rows > 0) {
      // An eighth more than this one's rows took: the next one's values may be a little longer.
      int perRow = bytes / rows;
      bytesPerRow[shape(metaFull, byColumn)] = perRow + perRow / 8 + 1;
    }
  }
}
