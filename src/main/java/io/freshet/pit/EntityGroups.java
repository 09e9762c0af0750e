package io.freshet.pit;

import java.util.Arrays;

/**
 * A request's label rows grouped by one join key's entity: entities in key order (the order the
 * history index is read in), each entity's rows ascending in time, with its first and last time.
 */
final class EntityGroups {

  private final LabelTable labels;

  /** Label rows grouped by position (entity), ascending time within a group. */
  private final int[] rowsByPosition;

  /** Group {@code p} is {@code rowsByPosition[groupStart[p] .. groupStart[p + 1])}. */
  private final int[] groupStart;

  private final String[] keys;
  private final long[] since;
  private final long[] until;

  EntityGroups(LabelTable labels, int joinKey) {
    this.labels = labels;
    KeyColumn column = labels.key(joinKey);
    int entities = column.distinct();
    Integer[] byKey = new Integer[entities];
    this.keys = new String[entities];
    String[] text = new String[entities];
    for (int id = 0; id < entities; id++) {
      byKey[id] = id;
      text[id] = column.key(id).toString();
    }
    Arrays.sort(byKey, (a, b) -> text[a].compareTo(text[b]));
    int[] positionOf = new int[entities];
    for (int p = 0; p < entities; p++) {
      positionOf[byKey[p]] = p;
      keys[p] = text[byKey[p]];
    }
    this.groupStart = new int[entities + 1];
    for (int r = 0; r < labels.size(); r++) {
      groupStart[positionOf[column.id(r)] + 1]++;
    }
    for (int p = 0; p < entities; p++) {
      groupStart[p + 1] += groupStart[p];
    }
    this.rowsByPosition = new int[labels.size()];
    int[] fill = Arrays.copyOf(groupStart, entities);
    for (int r = 0; r < labels.size(); r++) {
      rowsByPosition[fill[positionOf[column.id(r)]]++] = r;
    }
    this.since = new long[entities];
    this.until = new long[entities];
    for (int p = 0; p < entities; p++) {
      RowSort.byTime(rowsByPosition, groupStart[p], groupStart[p + 1], labels);
      since[p] = labels.at(rowsByPosition[groupStart[p]]);
      until[p] = labels.at(rowsByPosition[groupStart[p + 1] - 1]);
    }
  }

  int entities() {
    return keys.length;
  }

  /** The first of entity {@code p}'s rows in {@link #row}'s numbering. */
  int groupStart(int p) {
    return groupStart[p];
  }

  /** One past the last of entity {@code p}'s rows. */
  int groupEnd(int p) {
    return groupStart[p + 1];
  }

  /** The label row at place {@code i} of the grouping. */
  int row(int i) {
    return rowsByPosition[i];
  }

  /** The time of the label row at place {@code i}. */
  long at(int i) {
    return labels.at(rowsByPosition[i]);
  }

  /** Entity keys {@code from} to {@code to} (exclusive), as the cold tier stores them. */
  String[] keys(int from, int to) {
    return Arrays.copyOfRange(keys, from, to);
  }

  /** Per entity, its earliest label time. */
  long[] since(int from, int to) {
    return Arrays.copyOfRange(since, from, to);
  }

  /** Per entity, its latest label time. */
  long[] until(int from, int to) {
    return Arrays.copyOfRange(until, from, to);
  }
}
