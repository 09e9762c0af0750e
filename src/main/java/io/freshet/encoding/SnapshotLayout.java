package io.freshet.encoding;

import io.freshet.selection.Column;
import java.util.List;

/**
 * What a snapshot's rows look like: the join keys, then {@code timestamp}, then each column (and
 * its event time when asked), in a format that writes doubles one way. A re-run with the same
 * layout and the same cells gives the same bytes.
 */
public record SnapshotLayout(
    List<String> joinKeys,
    List<Column> columns,
    OutputFormat format,
    NumberFormat numberFormat,
    boolean includeTimestamps) {

  public SnapshotLayout {
    joinKeys = List.copyOf(joinKeys);
    columns = List.copyOf(columns);
  }
}
