package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.Watermark;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Function;

/** The Postgres tier: the full append-only history and the record of truth. */
public interface ColdTier extends FeatureTier {

  static ColdTier create(
      Pool pool, HistoryPartitions partitions, HistoryPartitions eventPartitions) {
    return new PgColdTier(pool, partitions, eventPartitions);
  }

  /** The history's monthly partitions, which every write makes sure of first. */
  HistoryPartitions partitions();

  /** The monthly partitions of the event views' history. */
  HistoryPartitions eventPartitions();

  /**
   * Appends one batch of an event view in a single statement, all or nothing, each row an event
   * numbered by its position in the batch; the view's watermark moves with it.
   */
  Future<Appended> appendEvents(RecordBatch batch);

  /** {@link #appendEvents} under an Idempotency-Key, as {@link #appendOnce} does for records. */
  Future<Appended> appendEventsOnce(String idempotencyKey, String requestSha256, RecordBatch batch);

  /**
   * One entity's events with {@code fromMicros <= event_ts < toMicros}, ingested by {@code
   * cutoffMicros}, ordered by (event_ts, ingested_at, position in batch).
   */
  Future<EventChunk> events(
      String view, String entityKey, long fromMicros, long toMicros, long cutoffMicros);

  /**
   * What an event view received up to {@code untilIngestedMicros}: per ingested_at, ascending, the
   * newest event time of the batches stamped then ({@code [0]}: the ingested_at, {@code [1]}: the
   * event time). Reads the view's whole history.
   */
  Future<long[][]> receivedBatches(String view, long untilIngestedMicros);

  /**
   * Each key's events in {@code [from[i], to[i])} ingested by {@code cutoffMicros}, key after key
   * in array order and each in the order of {@link #events}, streamed in chunks of {@code
   * fetchRows}; the next chunk is read while the consumer works on one, and no further.
   */
  Future<Void> scanEvents(
      String view,
      String[] keys,
      long[] from,
      long[] to,
      long cutoffMicros,
      int fetchRows,
      Function<EventChunk, Future<Void>> consumer);

  /**
   * Appends one batch of one view in a single statement, so it commits whole or not at all, with
   * its keys in the warm tier's repair log. Every record carries the batch's {@code ingested_at}.
   */
  Future<Appended> append(RecordBatch batch);

  /**
   * Appends a batch unless {@code idempotencyKey} was seen before: the key and the batch commit in
   * one transaction. With the repair ticket when this call wrote the batch; otherwise with the
   * first answer, and nothing was written. A call racing the first one waits for it on the key's
   * unique index.
   */
  Future<Appended> appendOnce(String idempotencyKey, String requestSha256, RecordBatch batch);

  /** Forgets Idempotency-Keys older than the retention window (by the database's clock). */
  Future<Void> forgetKeysOlderThan(java.time.Duration retention);

  /**
   * The point-in-time record of one view for one entity at {@code atMicros}: the greatest (event,
   * ingested) with event at or before that time and ingested at or before {@code cutoffMicros};
   * null if there is none, or none within {@code ttlMicros} before {@code atMicros} (months older
   * than that are not read).
   */
  Future<FeatureRecord> asOf(
      String view, String entityKey, long atMicros, long cutoffMicros, long ttlMicros);

  /**
   * Reads the history an as-of join of one view needs, in one statement: for key {@code i}, every
   * record ingested at or before {@code cutoffMicros} from the as-of record at {@code since[i]} up
   * to event time {@code until[i]}, ordered by key position, then event and ingestion time. With
   * {@code asKnownAtRow}, the as-of record at {@code since[i]} is the one ingested by {@code
   * since[i]} too, and records ingested after {@code until[i]} are left out. Records more than
   * {@code ttlMicros} before {@code since[i]} are left out (they would be MISSING for every label
   * row of the key), so only the months the rows can use are read. Chunks of at most {@code
   * fetchRows} records go to {@code consumer} one at a time; the next is read once the consumer's
   * future completes, and a failed one stops the scan.
   */
  Future<Void> scanHistory(
      String view,
      String[] keys,
      long[] since,
      long[] until,
      long cutoffMicros,
      boolean asKnownAtRow,
      long ttlMicros,
      int fetchRows,
      Function<HistoryChunk, Future<Void>> consumer);

  /** The newest event and ingestion times written to each view that has data. */
  Future<List<Watermark>> watermarks();

  boolean isUp();

  /** Probes Postgres and updates {@link #isUp()}. */
  Future<Void> check();
}
