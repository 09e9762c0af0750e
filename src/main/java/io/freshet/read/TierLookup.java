package io.freshet.read;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import java.util.ArrayList;
import java.util.List;

/** The answer to one multi-key read: per key, the record found (or none) and which tier had it. */
final class TierLookup {

  private final List<TierKey> keys;
  private final FeatureRecord[] records;
  private final String[] tiers;
  private boolean warmFailed;

  TierLookup(List<TierKey> keys) {
    this.keys = keys;
    this.records = new FeatureRecord[keys.size()];
    this.tiers = new String[keys.size()];
  }

  void found(int index, FeatureRecord record, String tier) {
    if (record != null) {
      records[index] = record;
      tiers[index] = tier;
    }
  }

  void foundAll(List<Integer> indexes, List<FeatureRecord> found, String tier) {
    for (int i = 0; i < indexes.size(); i++) {
      found(indexes.get(i), found.get(i), tier);
    }
  }

  List<Integer> missing() {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < records.length; i++) {
      if (records[i] == null) {
        missing.add(i);
      }
    }
    return missing;
  }

  List<TierKey> keysAt(List<Integer> indexes) {
    List<TierKey> out = new ArrayList<>(indexes.size());
    indexes.forEach(i -> out.add(keys.get(i)));
    return out;
  }

  /** Redis failed or was too slow for this read, which goes on to Postgres alone. */
  void warmFailed() {
    warmFailed = true;
  }

  boolean fellBack() {
    return warmFailed;
  }

  int size() {
    return records.length;
  }

  FeatureRecord record(int index) {
    return records[index];
  }

  String tier(int index) {
    return tiers[index];
  }
}
