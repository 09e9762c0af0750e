package io.freshet.monitoring;

import io.freshet.selection.FeatureSelection;
import io.freshet.served.ServedRow;
import io.freshet.served.ServedRows;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sampled served values counted into their baseline's bins: in memory per minute on this instance,
 * then added to the shared per-minute buckets in Redis at each flush. A flush that fails (Redis
 * down) is not retried, since what it sent may have arrived, so counting pauses rather than piling
 * up; those minutes are marked incomplete once Redis answers again, and a window that reaches one
 * says so.
 */
final class ProductionCounts {

  static final long MINUTE_MICROS = 60_000_000L;

  private final CountStore store;
  private final Duration keep;
  private final Map<String, LoadedBaseline> baselines = new ConcurrentHashMap<>();
  private final Map<String, MinuteCounts> pending = new ConcurrentHashMap<>();

  /** Buckets whose counts a failed flush dropped, to be marked once Redis takes writes again. */
  private final Set<String> incomplete = ConcurrentHashMap.newKeySet();

  private Future<Void> flushing = Future.succeededFuture();

  /** {@code keep}: how long a bucket lasts, the longest window any service can ask for. */
  ProductionCounts(CountStore store, Duration keep) {
    this.store = store;
    this.keep = keep;
  }

  void baseline(LoadedBaseline baseline) {
    baselines.put(baseline.baseline().service(), baseline);
  }

  LoadedBaseline baseline(String service) {
    return baselines.get(service);
  }

  /** Counts the sampled rows of one read; a service without a baseline counts nothing. */
  void count(ServedRows rows) {
    LoadedBaseline baseline = baselines.get(rows.service());
    if (baseline == null || rows.counted().isEmpty()) {
      return;
    }
    long minute = Math.floorDiv(rows.servedMicros(), MINUTE_MICROS);
    MinuteCounts counts =
        pending.computeIfAbsent(
            baseline.bucketPrefix() + minute, k -> new MinuteCounts(baseline, minute));
    FeatureSelection selection = rows.selection();
    for (int c = 0; c < selection.width(); c++) {
      String name = selection.name(c);
      FeatureBins bins = baseline.bins().get(name);
      if (bins != null) {
        LongAdder[] adders = counts.bins(name);
        LongAdder nulls = counts.nulls(name);
        for (ServedRow row : rows.counted()) {
          Object value = row.values()[c];
          if (value == null) {
            nulls.increment();
          } else {
            adders[bins.bin(value)].increment();
          }
        }
      }
    }
    counts.rows.add(rows.counted().size());
  }

  /**
   * Adds what this instance counted to Redis. Flushes run one after another, so two never add the
   * same counts.
   */
  synchronized Future<Void> flush(long nowMicros) {
    flushing = flushing.transform(done -> send(nowMicros));
    return flushing;
  }

  private Future<Void> send(long nowMicros) {
    long current = Math.floorDiv(nowMicros, MINUTE_MICROS);
    Map<String, Map<String, Long>> increments = new HashMap<>();
    for (Map.Entry<String, MinuteCounts> entry : new ArrayList<>(pending.entrySet())) {
      MinuteCounts counts = entry.getValue();
      if (counts.minute < current) {
        pending.remove(entry.getKey());
      }
      Map<String, Long> fields = counts.drain();
      if (!fields.isEmpty()) {
        increments.put(counts.bucket(), fields);
      }
    }
    Set<String> marking = new HashSet<>(incomplete);
    marking.forEach(
        bucket ->
            increments
                .computeIfAbsent(bucket, b -> new HashMap<>())
                .put(MinuteCounts.INCOMPLETE, 1L));
    return store
        .add(increments, keep)
        .onSuccess(done -> incomplete.removeAll(marking))
        .recover(
            failure -> {
              incomplete.addAll(increments.keySet());
              return Future.failedFuture(failure);
            });
  }

  /** A window's counts of one baseline, summed over every instance. */
  record Window(long rows, Map<String, double[]> bins, Map<String, Long> nulls, boolean complete) {}

  /**
   * The counts of the {@code minutes} minutes up to {@code nowMicros}'s, this instance's flushed
   * first.
   */
  Future<Window> window(LoadedBaseline baseline, long minutes, long nowMicros) {
    long current = Math.floorDiv(nowMicros, MINUTE_MICROS);
    List<String> buckets = new ArrayList<>();
    for (long m = current - minutes + 1; m <= current; m++) {
      buckets.add(baseline.bucketPrefix() + m);
    }
    return flush(nowMicros)
        .recover(failure -> Future.succeededFuture())
        .compose(flushed -> store.read(buckets))
        .map(read -> sum(baseline, buckets, read));
  }

  private Window sum(LoadedBaseline baseline, List<String> buckets, List<Map<String, Long>> read) {
    long rows = 0;
    boolean complete = true;
    Map<String, double[]> bins = new HashMap<>();
    Map<String, Long> nulls = new HashMap<>();
    baseline.bins().forEach((name, b) -> bins.put(name, new double[b.size()]));
    for (int i = 0; i < read.size(); i++) {
      Map<String, Long> fields = read.get(i);
      complete &=
          !fields.containsKey(MinuteCounts.INCOMPLETE) && !incomplete.contains(buckets.get(i));
      rows += fields.getOrDefault(MinuteCounts.ROWS, 0L);
      for (Map.Entry<String, FeatureBins> feature : baseline.bins().entrySet()) {
        String name = feature.getKey();
        nulls.merge(name, fields.getOrDefault(MinuteCounts.nullField(name), 0L), Long::sum);
        double[] counts = bins.get(name);
        for (int b = 0; b < counts.length; b++) {
          counts[b] += fields.getOrDefault(MinuteCounts.field(name, Integer.toString(b)), 0L);
        }
      }
    }
    return new Window(rows, bins, nulls, complete);
  }
}
