package io.freshet.read;

import io.freshet.model.CellMeta;
import io.freshet.model.Status;
import io.freshet.registry.MonitoringDef;
import io.freshet.served.ServedRow;
import io.freshet.served.ServedRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the rows of a monitored service's read that are counted ({@code sample}) and replayed
 * ({@code skew_sample}), each row drawn on its own, and keeps what monitoring needs of them: the
 * values as served and, for a replay, their statuses and the entity's keys.
 */
final class ServedSampling {

  private ServedSampling() {}

  /** The sampled rows, or null when no row was drawn. */
  static ServedRows sample(String service, MonitoringDef watch, OnlineResult result) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<ServedRow> counted = new ArrayList<>();
    List<ServedRow> replayed = new ArrayList<>();
    for (int row = 0; row < result.values().length; row++) {
      boolean count = watch.sample() >= 1.0 || random.nextDouble() < watch.sample();
      boolean replay = watch.skewSample() > 0 && random.nextDouble() < watch.skewSample();
      if (count || replay) {
        ServedRow served =
            new ServedRow(
                replay ? entity(result.entities(), row) : Map.of(),
                result.values()[row],
                replay ? statuses(result.metas()[row]) : null);
        if (count) {
          counted.add(served);
        }
        if (replay) {
          replayed.add(served);
        }
      }
    }
    if (counted.isEmpty() && replayed.isEmpty()) {
      return null;
    }
    return new ServedRows(
        service, result.plan().selection, result.servedMicros(), counted, replayed);
  }

  private static Status[] statuses(CellMeta[] metas) {
    Status[] statuses = new Status[metas.length];
    for (int c = 0; c < metas.length; c++) {
      statuses[c] = metas[c].status();
    }
    return statuses;
  }

  private static Map<String, Object> entity(EntityRows entities, int row) {
    Map<String, Object> keys = new LinkedHashMap<>();
    String[] joinKeys = entities.joinKeys();
    for (int k = 0; k < joinKeys.length; k++) {
      keys.put(joinKeys[k], entities.key(k, row));
    }
    return keys;
  }
}
