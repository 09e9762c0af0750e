package io.freshet.read;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.freshet.model.Cell;
import io.freshet.model.Status;
import io.freshet.model.Timestamps;
import java.util.Arrays;
import java.util.Objects;

/**
 * The {@code meta} objects of one entity's cells, each distinct one encoded once: the features of a
 * view share one record, so one time, age, status and tier, and a transformation's meta is usually
 * its oldest input's. A row has as many distinct metas as views, give or take, so a scan beats a
 * map.
 */
final class MetaFragments {

  private static final SerializableString MISSING =
      new SerializedString(
          "{\"event_timestamp\":null,\"age_ms\":null,\"status\":\"MISSING\",\"tier\":null}");

  private long[] events = new long[4];
  private long[] agesMs = new long[4];
  private Status[] statuses = new Status[4];
  private String[] tiers = new String[4];
  private SerializableString[] encoded = new SerializableString[4];
  private int size;

  /** Forgets the previous entity's metas. */
  void clear() {
    size = 0;
  }

  /** {@code {"event_timestamp", "age_ms", "status", "tier"}} of {@code cell}, to write raw. */
  SerializableString of(Cell cell) {
    if (cell.isMissing()) {
      return MISSING;
    }
    long event = cell.eventMicros();
    long ageMs = cell.ageMicros() / 1000;
    for (int i = 0; i < size; i++) {
      if (events[i] == event
          && agesMs[i] == ageMs
          && statuses[i] == cell.status()
          && Objects.equals(tiers[i], cell.tier())) {
        return encoded[i];
      }
    }
    SerializableString meta = encode(event, ageMs, cell.status(), cell.tier());
    if (size == events.length) {
      grow();
    }
    events[size] = event;
    agesMs[size] = ageMs;
    statuses[size] = cell.status();
    tiers[size] = cell.tier();
    encoded[size++] = meta;
    return meta;
  }

  // What JsonGenerator writes for the same fields: a timestamp, a status name and a tier name are
  // ASCII without anything to escape.
  private static SerializableString encode(long event, long ageMs, Status status, String tier) {
    StringBuilder out =
        new StringBuilder(96)
            .append("{\"event_timestamp\":\"")
            .append(Timestamps.format(event))
            .append("\",\"age_ms\":")
            .append(ageMs)
            .append(",\"status\":\"")
            .append(status.name())
            .append("\",\"tier\":");
    if (tier == null) {
      out.append("null");
    } else {
      out.append('"').append(tier).append('"');
    }
    return new SerializedString(out.append('}').toString());
  }

  private void grow() {
    int capacity = events.length * 2;
    events = Arrays.copyOf(events, capacity);
    agesMs = Arrays.copyOf(agesMs, capacity);
    statuses = Arrays.copyOf(statuses, capacity);
    tiers = Arrays.copyOf(tiers, capacity);
    encoded = Arrays.copyOf(encoded, capacity);
  }
}
