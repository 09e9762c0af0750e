package io.freshet.encoding;

import io.freshet.selection.Column;
import java.util.List;

/**
 * What a snapshot's rows look like: the join keys, then {@code timestamp}, then the label rows' own
 * fields passed through, then each column (with its event time and its status when asked), in a
 * format that writes doubles and timestamps one way. A re-run with the same layout and the same
 * cells gives the same bytes.
 */
public record SnapshotLayout(
    List<String> joinKeys,
    List<String> labelFields,
    List<Column> columns,
    OutputFormat format,
    NumberFormat numberFormat,
    TimestampPrecision timestampPrecision,
    boolean includeTimestamps,
    boolean includeStatus) {

  public static final String EVENT_TIMESTAMP_SUFFIX = "__event_timestamp";
  public static final String STATUS_SUFFIX = "__status";

  public SnapshotLayout {
    joinKeys = List.copyOf(joinKeys);
    labelFields = List.copyOf(labelFields);
    columns = List.copyOf(columns);
  }

  /** The same layout with the label fields the first label row named. */
  public SnapshotLayout withLabelFields(List<String> fields) {
    return new SnapshotLayout(
        joinKeys,
        fields,
        columns,
        format,
        numberFormat,
        timestampPrecision,
        includeTimestamps,
        includeStatus);
  }
}
