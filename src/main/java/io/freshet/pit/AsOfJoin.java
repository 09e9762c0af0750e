package io.freshet.pit;

import io.freshet.freshness.FreshnessPolicy;
import io.freshet.model.Cell;
import io.freshet.registry.FeatureView;
import io.freshet.selection.Column;
import io.freshet.tier.HistoryChunk;
import java.util.Arrays;
import java.util.List;

/**
 * The as-of join of one view against a request's label rows, as a merge of two sorted streams: the
 * label rows grouped by entity and ascending in time, and the view's history in the same order as
 * the cold tier scans it. Each label row gets the last record at or before its time, so the whole
 * join reads each needed record once, whatever the number of rows per entity.
 *
 * <p>As known at each row ({@link AsKnown#ROW}), a row gets the last record at or before its time
 * that was also ingested by then: a record backfilled later is skipped for the rows before its
 * ingestion and used by the rows after it.
 *
 * <p>A part is not thread-safe: its chunks are fed one at a time, each after the previous is done.
 */
final class AsOfJoin implements ViewJoin {

  private static final int NONE = -1;

  private static final String TIER = "cold";

  private final FeatureView view;
  private final LabelTable labels;
  private final boolean asKnownAtRow;
  private final int[] matches;
  private final EntityGroups groups;
  private final Part[] parts;

  /**
   * Groups the rows by entity; the entities are split into {@code parts} contiguous ranges that can
   * be scanned and merged at the same time, each on its own connection and thread.
   */
  AsOfJoin(
      FeatureView view,
      List<Column.Raw> features,
      LabelTable labels,
      int joinKey,
      int parts,
      AsKnown asKnown) {
    this.view = view;
    this.labels = labels;
    this.asKnownAtRow = asKnown == AsKnown.ROW;
    this.matches = new int[labels.size()];
    Arrays.fill(matches, NONE);
    this.groups = new EntityGroups(labels, joinKey);
    int entities = groups.entities();
    int count = Math.max(1, Math.min(parts, entities));
    this.parts = new Part[count];
    for (int i = 0; i < count; i++) {
      this.parts[i] =
          new Part(
              i,
              (int) ((long) entities * i / count),
              (int) ((long) entities * (i + 1) / count),
              features);
    }
  }

  FeatureView view() {
    return view;
  }

  List<Part> parts() {
    return List.of(parts);
  }

  /** Whether each row sees only the records ingested by its own time. */
  boolean asKnownAtRow() {
    return asKnownAtRow;
  }

  @Override
  public Cell cell(int column, int row, long atMicros, boolean applyOnRotten) {
    return matched(row)
        ? FreshnessPolicy.cell(view, event(row), value(column, row), TIER, atMicros, applyOnRotten)
        : Cell.MISSING;
  }

  /** Whether label row {@code row} has a record of this view at or before its time. */
  boolean matched(int row) {
    return matches[row] != NONE;
  }

  /** The event time of the record row {@code row} uses; only for a matched row. */
  long event(int row) {
    int m = matches[row];
    return parts[m % parts.length].records.event(m / parts.length);
  }

  /** The stored value of the {@code column}th feature of the record row {@code row} uses. */
  Object value(int column, int row) {
    int m = matches[row];
    return parts[m % parts.length].records.value(column, m / parts.length);
  }

  /**
   * One range of entities (by scan position) with its own merge: the parts of a join touch disjoint
   * label rows, so they run at the same time without sharing anything but {@code matches}, where
   * each writes only its own rows.
   */
  final class Part {
    private final int index;
    private final int from;
    private final int to;
    private final MatchedRecords records;

    // The merge's place: the entity being read, its next label row, its last record so far.
    private int position = NONE;
    private int nextRow;
    private int groupEnd;
    private long lastEvent;
    private long lastIngested;
    private String candidate;
    private int candidateSlot = NONE;

    // As known at each row: the entity's records that a row still to come could use.
    private final KnownRecords known;
    private final KnownRecords.Decoder decoder = this::decode;

    private Part(int index, int from, int to, List<Column.Raw> features) {
      this.index = index;
      this.from = from;
      this.to = to;
      this.records = new MatchedRecords(features);
      this.known = asKnownAtRow ? new KnownRecords() : null;
    }

    FeatureView view() {
      return view;
    }

    /** The part's entity keys in scan order, as the cold tier stores them. */
    String[] keys() {
      return groups.keys(from, to);
    }

    /** Per key, the entity's earliest label time. */
    long[] since() {
      return groups.since(from, to);
    }

    /** Per key, the entity's latest label time. */
    long[] until() {
      return groups.until(from, to);
    }

    /** Merges the next records of the part's scan; entities are numbered as in {@link #keys()}. */
    void accept(HistoryChunk chunk) {
      for (int i = 0; i < chunk.size(); i++) {
        int at = from + chunk.entity(i);
        long event = chunk.event(i);
        long ingested = chunk.ingested(i);
        if (at != position) {
          if (at < position || at >= to) {
            throw new IllegalStateException("history of " + view.name() + " came out of key order");
          }
          finishEntity();
          position = at;
          nextRow = groups.groupStart(at);
          groupEnd = groups.groupEnd(at);
        } else if (event < lastEvent || (event == lastEvent && ingested <= lastIngested)) {
          throw new IllegalStateException("history of " + view.name() + " came out of time order");
        }
        // Rows before this record's event time keep the record before it.
        while (nextRow < groupEnd && groups.at(nextRow) < event) {
          use(groups.row(nextRow++));
        }
        lastEvent = event;
        lastIngested = ingested;
        if (known != null) {
          known.push(event, ingested, chunk.values(i));
        } else {
          candidate = chunk.values(i);
          candidateSlot = NONE;
        }
      }
    }

    /** Ends the merge: the last entity's remaining rows keep its last record. */
    void finish() {
      finishEntity();
      position = Integer.MAX_VALUE;
    }

    private void finishEntity() {
      while (nextRow < groupEnd) {
        use(groups.row(nextRow++));
      }
      candidate = null;
      candidateSlot = NONE;
      if (known != null) {
        known.clear();
      }
    }

    /** Decodes a record into this part's records and answers the join's slot for it. */
    private int decode(long event, String storedValues) {
      return records.add(event, storedValues) * parts.length + index;
    }

    private void use(int row) {
      if (known != null) {
        int slot = known.slotAt(labels.at(row), decoder);
        if (slot != KnownRecords.NONE) {
          matches[row] = slot;
        }
        return;
      }
      if (candidate == null) {
        return;
      }
      if (candidateSlot == NONE) {
        candidateSlot = decode(lastEvent, candidate);
      }
      matches[row] = candidateSlot;
    }
  }
}
