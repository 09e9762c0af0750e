package io.freshet.monitoring;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One minute's sampled rows of one service against one baseline, on this instance: rows, and per
 * feature its nulls and its values per bin. {@link LongAdder}s, so the event loops that count never
 * contend with each other or with the flush.
 */
final class MinuteCounts {

  static final String ROWS = "rows";
  static final String INCOMPLETE = "incomplete";
  private static final String NULLS = "null";

  final LoadedBaseline baseline;
  final long minute;
  final LongAdder rows = new LongAdder();
  private final Map<String, LongAdder[]> bins = new HashMap<>();
  private final Map<String, LongAdder> nulls = new HashMap<>();

  MinuteCounts(LoadedBaseline baseline, long minute) {
    this.baseline = baseline;
    this.minute = minute;
    baseline
        .bins()
        .forEach(
            (name, feature) -> {
              LongAdder[] adders = new LongAdder[feature.size()];
              for (int i = 0; i < adders.length; i++) {
                adders[i] = new LongAdder();
              }
              bins.put(name, adders);
              nulls.put(name, new LongAdder());
            });
  }

  String bucket() {
    return baseline.bucketPrefix() + minute;
  }

  /** A feature's counters per bin, as its {@link FeatureBins} numbers them. */
  LongAdder[] bins(String feature) {
    return bins.get(feature);
  }

  LongAdder nulls(String feature) {
    return nulls.get(feature);
  }

  /** Takes what was counted since the last drain, as the Redis hash fields it adds to. */
  Map<String, Long> drain() {
    Map<String, Long> fields = new HashMap<>();
    put(fields, ROWS, rows.sumThenReset());
    nulls.forEach((name, adder) -> put(fields, field(name, NULLS), adder.sumThenReset()));
    bins.forEach(
        (name, adders) -> {
          for (int i = 0; i < adders.length; i++) {
            put(fields, field(name, Integer.toString(i)), adders[i].sumThenReset());
          }
        });
    return fields;
  }

  /** A feature's field in a bucket: its name (which holds no '|') and its bin, or "null". */
  static String field(String feature, String bin) {
    return feature + "|" + bin;
  }

  static String nullField(String feature) {
    return field(feature, NULLS);
  }

  private static void put(Map<String, Long> fields, String field, long value) {
    if (value != 0) {
      fields.put(field, value);
    }
  }
}
