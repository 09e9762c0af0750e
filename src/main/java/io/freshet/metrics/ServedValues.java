package io.freshet.metrics;

import io.freshet.model.CellMeta;
import io.freshet.model.Status;
import io.micrometer.core.instrument.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Values served per view: {@code freshet_feature_reads_total} by status, and the age of those that
 * are not MISSING in the histogram {@code freshet_served_value_age_seconds}. Every value is
 * counted; but the values of one record share their status and age, so a read tallies each record
 * it serves once, weighted by how many of its values it served, and adds the tally of each view to
 * the meters when done ({@link Tally}): a batch of thousands of values costs a few striped-counter
 * additions per view. The histogram's buckets are {@link LongAdder}s read at scrape time: the same
 * series a Micrometer summary with these bucket bounds exports, without its per-observation work.
 */
public final class ServedValues implements MultiCollector {

  static final String AGE = "freshet_served_value_age_seconds";

  // Explicit buckets from 100 ms to 30 days: the thresholds SLAs are written in, sub-second ages
  // resolved, and a fixed series count per view.
  private static final double[] BOUNDS_SECONDS = {
    0.1,
    0.5,
    1,
    5,
    15,
    30,
    60,
    120,
    300,
    600,
    1800,
    3600,
    6 * 3600,
    86_400,
    7 * 86_400,
    30 * 86_400,
    Double.POSITIVE_INFINITY
  };
  private static final long[] BOUNDS_MICROS = new long[BOUNDS_SECONDS.length - 1];

  static {
    for (int i = 0; i < BOUNDS_MICROS.length; i++) {
      BOUNDS_MICROS[i] = Math.round(BOUNDS_SECONDS[i] * 1_000_000);
    }
  }

  private final Map<String, View> views = new LinkedHashMap<>();

  /** The reads of one view. */
  public static final class View {
    private final Counter[] byStatus;
    private final LongAdder[] buckets = new LongAdder[BOUNDS_SECONDS.length];
    private final DoubleAdder sumSeconds = new DoubleAdder();

    private View(Counter[] byStatus) {
      this.byStatus = byStatus;
      for (int b = 0; b < buckets.length; b++) {
        buckets[b] = new LongAdder();
      }
    }

    /** A count of one read's values of this view, added to the meters once, when it is done. */
    public Tally tally() {
      return new Tally(this);
    }

    private static int bucket(long ageMicros) {
      int low = 0;
      int high = BOUNDS_MICROS.length;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (ageMicros <= BOUNDS_MICROS[mid]) {
          high = mid;
        } else {
          low = mid + 1;
        }
      }
      return low;
    }
  }

  /**
   * One read's values of one view, counted here and added to the view's meters by {@link #flush}: a
   * few additions a read, of the statuses and age buckets that occurred, instead of three for each
   * of its rows. The meters are striped adders that every event loop adds to; a batch read of 100
   * entities made 1,200 such additions, about a twentieth of its profile (BENCHMARKS.md, "Dense
   * profiles").
   */
  public static final class Tally {
    private static final int STATUSES = Status.values().length;

    private final View view;
    private final long[] byStatus = new long[STATUSES];
    private final long[] buckets = new long[BOUNDS_SECONDS.length];
    private double sumSeconds;

    private Tally(View view) {
      this.view = view;
    }

    /** {@code values} values of one record served under {@code meta}. */
    public void add(CellMeta meta, int values) {
      byStatus[meta.status().ordinal()] += values;
      if (meta.status() != Status.MISSING) {
        buckets[View.bucket(meta.ageMicros())] += values;
        sumSeconds += values * (meta.ageMicros() / 1_000_000.0);
      }
    }

    /** Adds what was counted to the view's meters. */
    public void flush() {
      for (int s = 0; s < STATUSES; s++) {
        if (byStatus[s] != 0) {
          view.byStatus[s].increment(byStatus[s]);
        }
      }
      for (int b = 0; b < buckets.length; b++) {
        if (buckets[b] != 0) {
          view.buckets[b].add(buckets[b]);
        }
      }
      if (sumSeconds != 0) {
        view.sumSeconds.add(sumSeconds);
      }
    }
  }

  /** {@code byStatus}: the view's counter of each status, by the status's ordinal. */
  View add(String view, Counter[] byStatus) {
    View meters = new View(byStatus);
    views.put(view, meters);
    return meters;
  }

  @Override
  public MetricSnapshots collect() {
    List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>(views.size());
    for (Map.Entry<String, View> view : views.entrySet()) {
      long[] counts = new long[BOUNDS_SECONDS.length];
      for (int b = 0; b < counts.length; b++) {
        counts[b] = view.getValue().buckets[b].sum();
      }
      points.add(
          new HistogramSnapshot.HistogramDataPointSnapshot(
              ClassicHistogramBuckets.of(BOUNDS_SECONDS, counts),
              view.getValue().sumSeconds.sum(),
              Labels.of("view", view.getKey()),
              Exemplars.EMPTY,
              0L));
    }
    return MetricSnapshots.of(
        new HistogramSnapshot(
            new MetricMetadata(AGE, "Age of served values (now - event_timestamp)"), points));
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(AGE);
  }
}
