package io.freshet.tier;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The events of event views in Postgres as tiles read them: the events of a few whole minutes (the
 * edges of windows), and everything since a time (a rebuild).
 */
public interface EventHistory {

  static EventHistory create(io.vertx.sqlclient.Pool pool) {
    return new PgEventHistory(pool);
  }

  /** One stored event of one entity, its fields as the JSON text the ingest wrote. */
  record StoredEvent(
      String entityKey, long eventMicros, long ingestedMicros, int sequence, String json) {}

  /** The events of {@code keys} with event times in any of {@code [from[i], to[i])}. */
  Future<List<StoredEvent>> inRanges(String view, List<String> keys, long[] from, long[] to);

  /**
   * Streams the events of {@code keys} from {@code sinceMicros} on to {@code each}, a chunk at a
   * time, and answers, per entity, the repair tickets of its committed batches whose tiles may not
   * be in Redis yet (unsettled in the repair log): both from one snapshot. A rebuild holds its
   * tiles, not the events.
   */
  Future<Map<String, List<Long>>> since(
      String view, List<String> keys, long sinceMicros, Consumer<StoredEvent> each);
}
