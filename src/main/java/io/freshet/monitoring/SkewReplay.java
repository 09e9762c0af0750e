package io.freshet.monitoring;

import io.freshet.metrics.MonitoringMetrics;
import io.freshet.model.Cell;
import io.freshet.model.Timestamps;
import io.freshet.selection.FeatureSelection;
import io.freshet.served.Replayer;
import io.freshet.served.ServedRow;
import io.freshet.served.ServedRows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Train/serve skew, checked on live traffic: served rows drawn for replay wait in a bounded queue
 * (a full queue drops new ones and counts them), and one batch at a time is recomputed by the
 * point-in-time engine as of the instant each row was served. Any value or status that differs is a
 * mismatch of that feature, counted and kept as an example. Counts are this instance's.
 */
final class SkewReplay {

  static final int MAX_EXAMPLES = 20;
  private static final int BATCH = 256;
  private static final System.Logger LOG = System.getLogger(SkewReplay.class.getName());

  private record Pending(
      String service, FeatureSelection selection, ServedRow row, long atMicros) {}

  /** One service's replay results so far. */
  private static final class Tally {
    long checked;
    long mismatched;
    final Map<String, long[]> features = new LinkedHashMap<>();
    final Deque<JsonObject> examples = new ArrayDeque<>();
  }

  private final Replayer replayer;
  private final MonitoringMetrics metrics;
  private final int capacity;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  private boolean draining;

  SkewReplay(Replayer replayer, MonitoringMetrics metrics, int capacity) {
    this.replayer = replayer;
    this.metrics = metrics;
    this.capacity = capacity;
  }

  void offer(ServedRows rows) {
    int dropped = 0;
    boolean start;
    synchronized (this) {
      for (ServedRow row : rows.replayed()) {
        if (queue.size() < capacity) {
          queue.add(new Pending(rows.service(), rows.selection(), row, rows.servedMicros()));
        } else {
          dropped++;
        }
      }
      start = !draining && !queue.isEmpty();
      draining |= start;
    }
    if (dropped > 0) {
      metrics.skewDropped(rows.service(), dropped);
    }
    if (start) {
      drain();
    }
  }

  /** Replays batches until the queue is empty; one batch in flight at a time. */
  private void drain() {
    List<Pending> batch = new ArrayList<>();
    synchronized (this) {
      Pending first = queue.peek();
      if (first == null) {
        draining = false;
        return;
      }
      // A batch is one selection's rows: one join over the views they read.
      for (var it = queue.iterator(); it.hasNext() && batch.size() < BATCH; ) {
        Pending p = it.next();
        if (p.selection() == first.selection() && p.service().equals(first.service())) {
          batch.add(p);
          it.remove();
        }
      }
    }
    List<Replayer.Replay> replays = new ArrayList<>(batch.size());
    batch.forEach(p -> replays.add(new Replayer.Replay(p.row().entity(), p.atMicros())));
    replayer
        .replay(batch.get(0).selection(), replays)
        .onSuccess(cells -> compare(batch, cells))
        .onFailure(
            e ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "skew replay of " + batch.size() + " rows failed: " + e.getMessage()))
        .onComplete(done -> drain());
  }

  private void compare(List<Pending> batch, List<Cell[]> replayed) {
    String service = batch.get(0).service();
    FeatureSelection selection = batch.get(0).selection();
    Tally tally = tallies.computeIfAbsent(service, s -> new Tally());
    synchronized (tally) {
      for (int r = 0; r < batch.size(); r++) {
        Pending served = batch.get(r);
        Cell[] cells = replayed.get(r);
        boolean rowMismatched = false;
        for (int c = 0; c < selection.width(); c++) {
          String feature = selection.name(c);
          long[] counts = tally.features.computeIfAbsent(feature, f -> new long[2]);
          counts[0]++;
          Object value = served.row().values()[c];
          if (!Objects.equals(value, cells[c].value())
              || served.row().statuses()[c] != cells[c].status()) {
            counts[1]++;
            rowMismatched = true;
            metrics.skewMismatched(service, feature);
            example(tally, served, feature, c, cells[c]);
          }
        }
        tally.checked++;
        if (rowMismatched) {
          tally.mismatched++;
        }
      }
    }
    metrics.skewChecked(service, batch.size());
  }

  private static void example(Tally tally, Pending served, String feature, int c, Cell replayed) {
    tally.examples.addFirst(
        new JsonObject()
            .put("entity", new JsonObject(new LinkedHashMap<>(served.row().entity())))
            .put("served_at", Timestamps.format(served.atMicros()))
            .put("feature", feature)
            .put("served", served.row().values()[c])
            .put("served_status", served.row().statuses()[c].name())
            .put("replayed", replayed.value())
            .put("replayed_status", replayed.status().name()));
    while (tally.examples.size() > MAX_EXAMPLES) {
      tally.examples.removeLast();
    }
  }

  /** {@code GET /v1/monitoring/{service}/skew}'s answer. */
  JsonObject report(String service) {
    Tally tally = tallies.get(service);
    JsonObject out = new JsonObject().put("service", service);
    if (tally == null) {
      return out.put("rows_checked", 0)
          .put("rows_mismatched", 0)
          .put("features", new JsonArray())
          .put("examples", new JsonArray());
    }
    synchronized (tally) {
      JsonArray features = new JsonArray();
      tally.features.forEach(
          (name, counts) ->
              features.add(
                  new JsonObject()
                      .put("name", name)
                      .put("checked", counts[0])
                      .put("mismatched", counts[1])));
      return out.put("rows_checked", tally.checked)
          .put("rows_mismatched", tally.mismatched)
          .put("features", features)
          .put("examples", new JsonArray(new ArrayList<>(tally.examples)));
    }
  }
}
