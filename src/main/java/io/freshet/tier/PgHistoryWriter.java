package io.freshet.tier;

import io.freshet.model.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.Supplier;

/**
 * The cold tier's writes: a batch in one statement, optionally under an Idempotency-Key in the same
 * transaction, once the months of its events have their partitions.
 */
final class PgHistoryWriter {

  // The common table expression that moves the view's watermark to the newest of the rows
  // `appended` returns ($1 the view, $4 the batch's ingested_at), never back.
  private static final String MOVE_WATERMARK =
      " watermark AS ("
          + " INSERT INTO view_watermarks (view_name, last_event_ts, last_ingested_at)"
          + " SELECT $1, max(event_ts), $4 FROM appended"
          + " ON CONFLICT (view_name) DO UPDATE SET"
          + " last_event_ts = GREATEST(view_watermarks.last_event_ts, EXCLUDED.last_event_ts),"
          + " last_ingested_at ="
          + " GREATEST(view_watermarks.last_ingested_at, EXCLUDED.last_ingested_at))";

  // One statement for a whole batch: arrays unnest into rows server-side, so ingest costs one
  // round trip and one parse whatever the batch size.
  // The view's watermark moves in the same statement, so it can never disagree with the history,
  // and so does the warm tier's repair log: the batch's keys stay logged under the returned ticket
  // until Redis has taken them.
  private static final String APPEND =
      "WITH appended AS ("
          + " INSERT INTO feature_history"
          + " (view_name, entity_key, event_ts, ingested_at, feature_values)"
          + " SELECT $1, k, e, $4, v::jsonb"
          + " FROM unnest($2::text[], $3::timestamptz[], $5::text[]) AS t(k, e, v)"
          + " RETURNING event_ts),"
          + MOVE_WATERMARK
          + " INSERT INTO warm_repairs (view_name, entity_keys, key_count)"
          + " VALUES ($1, $2, cardinality($2)) RETURNING id";

  // An event view's batch: every row kept, numbered by its position in the batch. Its watermark
  // moves in the same statement, and its entities go in the repair log once each: their tiles in
  // Redis lack the batch until its writer has added it, and a repair drops them if it never does.
  static final String APPEND_EVENTS =
      "WITH appended AS ("
          + " INSERT INTO event_history"
          + " (view_name, entity_key, event_ts, ingested_at, seq, event_values)"
          + " SELECT $1, k, e, $4, (n - 1)::integer, v::jsonb"
          + " FROM unnest($2::text[], $3::timestamptz[], $5::text[]) WITH ORDINALITY AS t(k, e, v, n)"
          + " RETURNING event_ts),"
          + MOVE_WATERMARK
          + " INSERT INTO warm_repairs (view_name, entity_keys, key_count)"
          + " SELECT $1, array_agg(DISTINCT k), count(DISTINCT k)::integer"
          + " FROM unnest($2::text[]) AS u(k) RETURNING id";

  private static final String CLAIM_KEY =
      "INSERT INTO ingest_idempotency"
          + " (idempotency_key, view_name, request_sha256, accepted, ingested_at)"
          + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING";
  private static final String FIRST_ANSWER =
      "SELECT request_sha256, accepted, ingested_at FROM ingest_idempotency"
          + " WHERE idempotency_key = $1";
  private static final String FORGET_KEYS = "DELETE FROM ingest_idempotency WHERE created_at < $1";

  private final Pool pool;
  private final HistoryPartitions partitions;
  private final String append;

  /** Writes records (with {@code APPEND}) or events (with {@link #APPEND_EVENTS}). */
  PgHistoryWriter(Pool pool, HistoryPartitions partitions, String append) {
    this.pool = pool;
    this.partitions = partitions;
    this.append = append;
  }

  PgHistoryWriter(Pool pool, HistoryPartitions partitions) {
    this(pool, partitions, APPEND);
  }

  Future<Appended> append(RecordBatch batch) {
    return writing(
        batch,
        () ->
            pool.preparedQuery(append).execute(appendParams(batch)).map(PgHistoryWriter::written));
  }

  Future<Appended> appendOnce(String idempotencyKey, String requestSha256, RecordBatch batch) {
    Tuple claim =
        Tuple.of(
            idempotencyKey,
            batch.view(),
            requestSha256,
            batch.size(),
            Timestamps.toOffsetDateTime(batch.ingestedMicros()));
    return writing(
        batch,
        () ->
            pool.withTransaction(
                conn ->
                    conn.preparedQuery(CLAIM_KEY)
                        .execute(claim)
                        .compose(
                            claimed ->
                                claimed.rowCount() == 1
                                    ? conn.preparedQuery(append)
                                        .execute(appendParams(batch))
                                        .map(PgHistoryWriter::written)
                                    : conn.preparedQuery(FIRST_ANSWER)
                                        .execute(Tuple.of(idempotencyKey))
                                        .map(PgHistoryWriter::answeredBefore))));
  }

  Future<Void> forgetKeysOlderThan(Duration retention) {
    return pool.preparedQuery(FORGET_KEYS).execute(Tuple.of(retention.toMillis())).mapEmpty();
  }

  private static Appended written(RowSet<Row> ticket) {
    return Appended.written(ticket.iterator().next().getLong(0));
  }

  private static Appended answeredBefore(RowSet<Row> rows) {
    Row row = rows.iterator().next();
    return Appended.answeredBefore(
        new FirstAnswer(
            row.getString("request_sha256"),
            row.getInteger("accepted"),
            Timestamps.fromOffsetDateTime(row.getOffsetDateTime("ingested_at"))));
  }

  /**
   * Runs a write once every month its records fall in has a partition. When one turns out to be
   * gone (another instance's retention dropped it since this one looked), the partitions are read
   * again and the write runs once more: the first attempt wrote nothing.
   */
  private <T> Future<T> writing(RecordBatch batch, Supplier<Future<T>> write) {
    long[] events = batch.eventMicros();
    return partitions
        .cover(events)
        .compose(covered -> write.get())
        .recover(
            failure ->
                PgFailures.isNoPartition(failure)
                    ? partitions
                        .load()
                        .compose(loaded -> partitions.cover(events))
                        .compose(covered -> write.get())
                    : Future.failedFuture(failure));
  }

  private static Tuple appendParams(RecordBatch batch) {
    int n = batch.size();
    OffsetDateTime[] events = new OffsetDateTime[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      events[i] = Timestamps.toOffsetDateTime(batch.records().get(i).eventMicros());
      values[i] = batch.records().get(i).json();
    }
    return Tuple.of(
        batch.view(),
        batch.entityKeys().toArray(new String[0]),
        events,
        Timestamps.toOffsetDateTime(batch.ingestedMicros()),
        values);
  }
}
