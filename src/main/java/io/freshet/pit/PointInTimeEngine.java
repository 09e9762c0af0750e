package io.freshet.pit;

import io.freshet.freshness.FreshnessClassifier;
import io.freshet.freshness.FreshnessPolicy;
import io.freshet.model.FeatureRecord;
import io.freshet.registry.AggregationDef;
import io.freshet.registry.FeatureView;
import io.freshet.selection.Column;
import io.freshet.selection.FeatureSelection;
import io.freshet.tier.ColdTier;
import io.freshet.transform.TransformEngine;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Point-in-time values for a request's label rows: one as-of merge per view over one ordered scan
 * of the history it needs. The merging and decoding run on a worker pool, so a large snapshot does
 * not hold up the event loop that serves online reads.
 */
public final class PointInTimeEngine {

  // Rows per cursor read: enough to amortize a round trip, few enough that every scan of a
  // snapshot (two chunks each, as Row objects and then as text) stays within a few MB.
  private static final int FETCH_ROWS = 4_000;

  // Entities per part below which splitting a view's scan costs more than it saves.
  private static final int MIN_PART_ENTITIES = 2_000;

  private final ColdTier cold;
  private final TransformEngine transforms;
  private final SnapshotWorkers workers;
  private final int parallelism;

  /**
   * {@code parallelism}: into how many concurrent scans, each on its own connection and worker, a
   * large view's join is split.
   */
  public PointInTimeEngine(
      ColdTier cold, TransformEngine transforms, SnapshotWorkers workers, int parallelism) {
    this.cold = cold;
    this.transforms = transforms;
    this.workers = workers;
    this.parallelism = parallelism;
  }

  SnapshotWorkers workers() {
    return workers;
  }

  /**
   * Joins every selected view; {@code cancelled} stops the scans between chunks, and so does the
   * failure of any one of them, so a failed join frees its memory at once.
   */
  Future<SnapshotJoin> join(
      SnapshotRequest request, LabelTable labels, BooleanSupplier clientGone) {
    AtomicBoolean failed = new AtomicBoolean();
    Cancellation cancelled = new Cancellation(failed, clientGone);
    FeatureSelection selection = request.selection();
    List<FeatureView> views = selection.views();
    List<List<Column.Raw>> featuresOfView = new ArrayList<>();
    views.forEach(v -> featuresOfView.add(new ArrayList<>()));
    int[] columnOfSlot = new int[selection.raws().size()];
    for (int s = 0; s < columnOfSlot.length; s++) {
      List<Column.Raw> features = featuresOfView.get(selection.rawView(s));
      columnOfSlot[s] = features.size();
      features.add(selection.raws().get(s));
    }
    List<Future<? extends ViewJoin>> joins = new ArrayList<>(views.size());
    for (int v = 0; v < views.size(); v++) {
      FeatureView view = views.get(v);
      List<Column.Raw> features = featuresOfView.get(v);
      int joinKey = keyIndex(request, view);
      // Views already scan in parallel; split them only while there are cores to spare.
      int parts =
          Math.max(
              1,
              Math.min(
                  parallelism / views.size(), labels.key(joinKey).distinct() / MIN_PART_ENTITIES));
      joins.add(join(view, features, labels, joinKey, parts, request, cancelled));
    }
    // Every scan ends before the answer (Future.all would fail at the first failure while the
    // others still hold their chunks); the first failure stops the others at their next chunk.
    return Future.join(joins)
        .map(
            done -> {
              List<ViewJoin> joined = new ArrayList<>(joins.size());
              joins.forEach(j -> joined.add(j.result()));
              return new SnapshotJoin(request, labels, joined, columnOfSlot, transforms);
            });
  }

  /** One view's join: an as-of merge for a records view, sliding windows for an event view. */
  private Future<? extends ViewJoin> join(
      FeatureView view,
      List<Column.Raw> features,
      LabelTable labels,
      int joinKey,
      int parts,
      SnapshotRequest request,
      Cancellation cancelled) {
    if (!view.isEvents()) {
      return workers
          .run(() -> new AsOfJoin(view, features, labels, joinKey, parts, request.asKnown()))
          .compose(join -> scanAll(join, request.cutoffMicros(), cancelled));
    }
    boolean statuses = request.applyFreshness() || request.layout().includeStatus();
    return workers
        .run(
            () ->
                new WindowJoin(view, features, labels, joinKey, parts, request.asKnown(), statuses))
        .compose(join -> slideAll(join, request.cutoffMicros(), labels, cancelled));
  }

  /** Stops a snapshot's scans: its client went away, or one of its scans failed. */
  private record Cancellation(AtomicBoolean failed, BooleanSupplier clientGone) {
    boolean isSet() {
      return failed.get() || clientGone.getAsBoolean();
    }
  }

  /**
   * Reads each part's events in one ordered scan and slides them through the part's rows; with the
   * view's stream over time when the request reads statuses.
   */
  private Future<WindowJoin> slideAll(
      WindowJoin join, long cutoffMicros, LabelTable labels, Cancellation cancelled) {
    List<Future<Void>> parts = new ArrayList<>();
    join.parts().forEach(part -> parts.add(slide(part, cutoffMicros, cancelled)));
    if (join.needsLag()) {
      parts.add(lag(join, cutoffMicros, labels));
    }
    return Future.join(parts).map(done -> join);
  }

  private Future<Void> slide(WindowJoin.Part part, long cutoffMicros, Cancellation cancelled) {
    return finished(
        cold.scanEvents(
            part.view().name(),
            part.keys(),
            part.from(),
            part.to(),
            cutoffMicros,
            FETCH_ROWS,
            onWorkers(part::accept, cancelled)),
        part::finish,
        cancelled);
  }

  /** What the view had received by each moment up to the last row (and the cutoff). */
  private Future<Void> lag(WindowJoin join, long cutoffMicros, LabelTable labels) {
    long last = Long.MIN_VALUE;
    for (int r = 0; r < labels.size(); r++) {
      last = Math.max(last, labels.at(r));
    }
    return cold.receivedBatches(join.view().name(), Math.min(last, cutoffMicros))
        .map(
            batches -> {
              join.lag(new ViewLag(batches[0], batches[1]));
              return null;
            });
  }

  private Future<AsOfJoin> scanAll(AsOfJoin join, long cutoffMicros, Cancellation cancelled) {
    List<Future<Void>> parts = new ArrayList<>();
    join.parts()
        .forEach(part -> parts.add(scan(part, cutoffMicros, join.asKnownAtRow(), cancelled)));
    return Future.join(parts).map(done -> join);
  }

  private Future<Void> scan(
      AsOfJoin.Part part, long cutoffMicros, boolean asKnownAtRow, Cancellation cancelled) {
    return finished(
        cold.scanHistory(
            part.view().name(),
            part.keys(),
            part.since(),
            part.until(),
            cutoffMicros,
            asKnownAtRow,
            FreshnessClassifier.ttlMicros(part.view()),
            FETCH_ROWS,
            onWorkers(part::accept, cancelled)),
        part::finish,
        cancelled);
  }

  /**
   * Hands each chunk a scan reads to {@code accept} on a snapshot thread, unless the snapshot was
   * abandoned meanwhile; the scan reads its next chunk only once this one is taken.
   */
  private <C> Function<C, Future<Void>> onWorkers(Consumer<C> accept, Cancellation cancelled) {
    return chunk ->
        cancelled.isSet()
            ? Future.failedFuture(new IllegalStateException("snapshot abandoned"))
            : workers.run(
                () -> {
                  accept.accept(chunk);
                  return null;
                });
  }

  /** After a part's scan, its {@code finish} on a snapshot thread; any failure fails the rest. */
  private Future<Void> finished(Future<Void> scanned, Runnable finish, Cancellation cancelled) {
    return scanned
        .compose(
            done ->
                workers.<Void>run(
                    () -> {
                      finish.run();
                      return null;
                    }))
        .onFailure(e -> cancelled.failed().set(true));
  }

  private static int keyIndex(SnapshotRequest request, FeatureView view) {
    for (int k = 0; k < request.joinKeys().size(); k++) {
      if (request.joinKeys().get(k).joinKey().equals(view.entity().joinKey())) {
        return k;
      }
    }
    throw new IllegalStateException("no join key for view " + view.name());
  }

  /**
   * An event view's aggregations for one entity at {@code atMicros}, from the events ingested by
   * {@code cutoff}; empty while the view has received no event at all.
   */
  public Future<Optional<WindowValues>> windows(
      FeatureView view, String key, long atMicros, long cutoff) {
    long from = atMicros - longestWindow(view);
    return cold.watermarks()
        .map(marks -> marks.stream().anyMatch(m -> m.view().equals(view.name())))
        .compose(
            received ->
                received
                    ? windowsFrom(view, key, from, atMicros, cutoff).map(Optional::of)
                    : Future.succeededFuture(Optional.<WindowValues>empty()));
  }

  private static long longestWindow(FeatureView view) {
    long longest = 0;
    for (AggregationDef aggregation : view.aggregations()) {
      longest = Math.max(longest, aggregation.windowMicros());
    }
    return longest;
  }

  private Future<WindowValues> windowsFrom(
      FeatureView view, String key, long fromMicros, long atMicros, long cutoff) {
    return cold.events(view.name(), key, fromMicros, atMicros, cutoff)
        .compose(events -> workers.run(() -> WindowValues.of(view, events, atMicros)));
  }

  /** The as-of record of one view for one entity, ttl applied; null when there is none. */
  public Future<FeatureRecord> single(FeatureView view, String key, long atMicros, long cutoff) {
    return cold.asOf(view.name(), key, atMicros, cutoff, FreshnessClassifier.ttlMicros(view))
        .map(
            record ->
                record != null && FreshnessPolicy.expired(view, record, atMicros) ? null : record);
  }
}
