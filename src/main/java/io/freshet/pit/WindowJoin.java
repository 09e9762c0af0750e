package io.freshet.pit;

import io.freshet.freshness.FreshnessPolicy;
import io.freshet.model.Cell;
import io.freshet.model.CellMeta;
import io.freshet.model.FeatureRecord;
import io.freshet.model.RecordShape;
import io.freshet.model.Status;
import io.freshet.registry.AggregationDef;
import io.freshet.registry.FeatureView;
import io.freshet.selection.Column;
import io.freshet.tier.EventChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The join of one event view against a request's label rows: each row gets the selected
 * aggregations over the windows that end at its time, {@code [t − W, t)}. Each entity's events are
 * read once, in time order, and slid through its rows ({@link EntityWindows}), so no row reads its
 * window again and only what some window still needs is held.
 *
 * <p>Entities are split into parts scanned and merged at the same time, as for {@link AsOfJoin};
 * each part writes only its own rows and its own columns.
 */
final class WindowJoin implements ViewJoin {

  private static final String TIER = "cold";

  private final FeatureView view;
  private final List<AggregationDef> aggregations;
  private final int[] fieldOf;
  private final RecordShape fields;
  private final EntityGroups groups;
  private final boolean asKnownAtRow;
  private final boolean statuses;
  private final int[] slotOfRow;
  private final Part[] parts;
  private final Object[] empty;
  private ViewLag lag;

  /**
   * {@code features}: the view's selected aggregations; {@code statuses}: whether the request reads
   * their statuses (then {@link #lag} must be given before any cell is read).
   */
  WindowJoin(
      FeatureView view,
      List<Column.Raw> features,
      LabelTable labels,
      int joinKey,
      int parts,
      AsKnown asKnown,
      boolean statuses) {
    this.view = view;
    this.aggregations = new ArrayList<>(features.size());
    features.forEach(f -> aggregations.add(view.aggregation(f.feature().name()).orElseThrow()));
    this.fields = view.fieldShape();
    this.fieldOf = new int[aggregations.size()];
    this.empty = new Object[aggregations.size()];
    for (int a = 0; a < fieldOf.length; a++) {
      AggregationDef aggregation = aggregations.get(a);
      fieldOf[a] = aggregation.of() == null ? -1 : fields.position(aggregation.of());
      empty[a] = aggregation.aggregator().empty().value();
    }
    this.groups = new EntityGroups(labels, joinKey);
    this.asKnownAtRow = asKnown == AsKnown.ROW;
    this.statuses = statuses;
    this.slotOfRow = new int[labels.size()];
    Arrays.fill(slotOfRow, -1);
    int entities = groups.entities();
    int count = Math.max(1, Math.min(parts, entities));
    this.parts = new Part[count];
    for (int i = 0; i < count; i++) {
      this.parts[i] =
          new Part(
              i, (int) ((long) entities * i / count), (int) ((long) entities * (i + 1) / count));
    }
  }

  FeatureView view() {
    return view;
  }

  List<Part> parts() {
    return List.of(parts);
  }

  boolean needsLag() {
    return statuses;
  }

  /** The view's stream over time, which the statuses of its values come from. */
  void lag(ViewLag lag) {
    this.lag = lag;
  }

  @Override
  public Cell cell(int column, int row, long atMicros, boolean applyOnRotten) {
    int slot = slotOfRow[row];
    Object value;
    long newest;
    if (slot < 0) {
      // A row whose entity has no event in any window of it: the empty windows' values.
      value = empty[column];
      newest = CellMeta.NO_EVENT;
    } else {
      Part part = parts[slot % parts.length];
      value = part.values[column].get(slot / parts.length);
      newest = part.newest[column][slot / parts.length];
    }
    CellMeta meta =
        statuses
            ? FreshnessPolicy.windowMeta(
                view,
                newest,
                lag.newestReceived(atMicros),
                TIER,
                atMicros,
                CellMeta.NO_WINDOW,
                CellMeta.NO_WINDOW)
            // Nothing in this request reads a status: none is worked out.
            : new CellMeta(newest, 0, Status.FRESH, TIER);
    return FreshnessPolicy.windowCell(view, meta, value, applyOnRotten);
  }

  /** One range of entities (by key order) with its own slide. */
  final class Part {
    private final int index;
    private final int from;
    private final int to;
    private final EntityWindows windows;
    private final ValueColumn[] values;
    private final long[][] newest;
    private int size;
    private int capacity;

    private int position = -1;
    private int next;
    private int groupEnd;
    private long lastEvent;
    private long lastIngested;
    private int lastSequence;

    private Part(int index, int from, int to) {
      this.index = index;
      this.from = from;
      this.to = to;
      this.windows = new EntityWindows(aggregations, fieldOf, asKnownAtRow);
      this.values = new ValueColumn[aggregations.size()];
      this.newest = new long[aggregations.size()][0];
      for (int a = 0; a < values.length; a++) {
        values[a] = new ValueColumn(aggregations.get(a).resultType());
      }
    }

    FeatureView view() {
      return view;
    }

    String[] keys() {
      return groups.keys(from, to);
    }

    /** Per key, the start of the longest window of its first row. */
    long[] from() {
      long[] since = groups.since(from, to);
      for (int i = 0; i < since.length; i++) {
        since[i] -= windows.longest();
      }
      return since;
    }

    /** Per key, its last row's time: the end (exclusive) of every window it needs. */
    long[] to() {
      return groups.until(from, to);
    }

    /** Slides the next events of the part's scan through their entities' rows. */
    void accept(EventChunk chunk) {
      for (int i = 0; i < chunk.size(); i++) {
        int at = from + chunk.entity(i);
        long event = chunk.event(i);
        long ingested = chunk.ingested(i);
        int sequence = chunk.sequence(i);
        if (at != position) {
          if (at < position || at >= to) {
            throw new IllegalStateException("events of " + view.name() + " came out of key order");
          }
          finishEntity();
          position = at;
          next = groups.groupStart(at);
          groupEnd = groups.groupEnd(at);
        } else if (event < lastEvent
            || (event == lastEvent
                && (ingested < lastIngested
                    || (ingested == lastIngested && sequence <= lastSequence)))) {
          throw new IllegalStateException("events of " + view.name() + " came out of time order");
        }
        // Rows at or before this event's time are complete: their windows end before it.
        while (next < groupEnd && groups.at(next) <= event) {
          record(next++);
        }
        lastEvent = event;
        lastIngested = ingested;
        lastSequence = sequence;
        Object[] decoded = FeatureRecord.ofJson(event, ingested, chunk.values(i)).values(fields);
        windows.offer(event, ingested, sequence, decoded);
      }
    }

    void finish() {
      finishEntity();
      position = Integer.MAX_VALUE;
    }

    private void finishEntity() {
      while (next < groupEnd) {
        record(next++);
      }
      windows.clear();
    }

    private void record(int place) {
      long at = groups.at(place);
      windows.advanceTo(at);
      int slot = size++;
      if (slot == capacity) {
        capacity = Math.max(1024, slot * 2);
        for (int a = 0; a < values.length; a++) {
          values[a].ensureCapacity(capacity);
          newest[a] = Arrays.copyOf(newest[a], capacity);
        }
      }
      for (int a = 0; a < values.length; a++) {
        values[a].set(slot, windows.value(a));
        newest[a][slot] = windows.newestCounted(a, at);
      }
      slotOfRow[groups.row(place)] = slot * parts.length + index;
    }
  }
}
