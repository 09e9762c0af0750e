package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import java.util.List;

/**
 * One accepted batch of one view as the write path hands it to the tiers: per row the entity key
 * and the record, whose values are the JSON text the ingest wrote, taken as it is by Postgres,
 * Redis and the change feed.
 */
public record RecordBatch(String view, List<String> entityKeys, List<FeatureRecord> records) {

  public int size() {
    return records.size();
  }

  /** The batch's one {@code ingested_at}. */
  public long ingestedMicros() {
    return records.get(0).ingestedMicros();
  }

  public long[] eventMicros() {
    long[] events = new long[records.size()];
    for (int i = 0; i < events.length; i++) {
      events[i] = records.get(i).eventMicros();
    }
    return events;
  }

  public List<TierKey> keys() {
    TierKey[] keys = new TierKey[entityKeys.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new TierKey(view, entityKeys.get(i));
    }
    return List.of(keys);
  }
}
