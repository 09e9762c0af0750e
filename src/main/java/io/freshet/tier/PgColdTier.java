package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.freshet.model.Timestamps;
import io.freshet.model.Watermark;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

final class PgColdTier implements ColdTier {

  private static final System.Logger LOG = System.getLogger(PgColdTier.class.getName());

  // One index probe: seek to the time, skip records ingested after the cutoff. The lower bound (a
  // record older than the ttl is MISSING anyway) keeps the months before it out of the plan.
  static final String AS_OF =
      "SELECT event_ts, ingested_at, feature_values::text AS feature_values FROM feature_history"
          + " WHERE view_name = $1 AND entity_key = $2 AND event_ts <= $3 AND event_ts >= $5"
          + " AND ingested_at <= $4 ORDER BY event_ts DESC, ingested_at DESC LIMIT 1";

  // One statement per as-of join: a short ordered index range per key, from the record in force
  // at the key's first label time to its last. Keys are probed in array order and each range
  // comes out ascending (the as-of merge checks both, so a different plan cannot go unnoticed).
  // As known at each row ($6), the record in force at the first label time is the one ingested by
  // then, and nothing ingested after the last label time can serve any row.
  // Nothing older than a key's first label time minus the ttl can be used (it would be MISSING),
  // so each key starts there at the earliest ($7), and the scan as a whole stays within $8..$9:
  // Postgres leaves every month partition outside that range out of the plan.
  static final String HISTORY =
      "SELECT k.i, h.event_ts, h.ingested_at, h.feature_values::text"
          + " FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[], $7::timestamptz[])"
          + "   WITH ORDINALITY AS k(entity_key, since, until, lo, i)"
          + " CROSS JOIN LATERAL (SELECT f.event_ts, f.ingested_at, f.feature_values"
          + "   FROM feature_history f"
          + "   WHERE f.view_name = $1 AND f.entity_key = k.entity_key"
          + "   AND f.ingested_at <= CASE WHEN $6 THEN LEAST($5, k.until) ELSE $5 END"
          + "   AND f.event_ts <= k.until AND f.event_ts >= $8 AND f.event_ts <= $9"
          + "   AND f.event_ts >= COALESCE((SELECT g.event_ts FROM feature_history g"
          + "     WHERE g.view_name = $1 AND g.entity_key = k.entity_key AND g.event_ts <= k.since"
          + "     AND g.event_ts >= k.lo AND g.event_ts >= $8 AND g.event_ts <= $9"
          + "     AND g.ingested_at <= CASE WHEN $6 THEN LEAST($5, k.since) ELSE $5 END"
          + "     ORDER BY g.event_ts DESC, g.ingested_at DESC LIMIT 1), k.lo)"
          + "   ORDER BY f.event_ts, f.ingested_at) h";

  /**
   * The earliest time a lower bound is pushed to: before any event Freshet accepts (year 1 in any
   * zone), and within what both Postgres and the client's time types hold.
   */
  private static final long EARLIEST_MICROS = -62_198_755_200_000_000L;

  // Each entity's events in [lo, hi), in the order `last` needs; entities in array order.
  static final String EVENTS =
      "SELECT k.i, e.event_ts, e.ingested_at, e.seq, e.event_values::text"
          + " FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[])"
          + "   WITH ORDINALITY AS k(entity_key, lo, hi, i)"
          + " CROSS JOIN LATERAL (SELECT f.event_ts, f.ingested_at, f.seq, f.event_values"
          + "   FROM event_history f"
          + "   WHERE f.view_name = $1 AND f.entity_key = k.entity_key"
          + "   AND f.event_ts >= k.lo AND f.event_ts < k.hi AND f.ingested_at <= $5"
          + "   AND f.event_ts >= $6 AND f.event_ts < $7"
          + "   ORDER BY f.event_ts, f.ingested_at, f.seq) e";

  // What an event view received, batch by batch: the newest event time of each ingested_at.
  static final String RECEIVED =
      "SELECT ingested_at, max(event_ts) FROM event_history"
          + " WHERE view_name = $1 AND ingested_at <= $2"
          + " GROUP BY ingested_at ORDER BY ingested_at";

  private static final String WATERMARKS =
      "SELECT view_name, last_event_ts, last_ingested_at FROM view_watermarks";

  // One index probe per requested key, all in one query; ord realigns answers with the request.
  private static final String LATEST =
      "SELECT q.ord, h.event_ts, h.ingested_at, h.feature_values::text AS feature_values"
          + " FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(view_name, entity_key, ord)"
          + " CROSS JOIN LATERAL (SELECT f.event_ts, f.ingested_at, f.feature_values"
          + "   FROM feature_history f"
          + "   WHERE f.view_name = q.view_name AND f.entity_key = q.entity_key"
          + "   ORDER BY f.event_ts DESC, f.ingested_at DESC LIMIT 1) h";

  private final Pool pool;
  private final HistoryPartitions partitions;
  private final HistoryPartitions eventPartitions;
  private final PgHistoryWriter writer;
  private final PgHistoryWriter eventWriter;
  private final AtomicLong started = new AtomicLong();
  private long settledBy;
  private volatile boolean up = true;

  PgColdTier(Pool pool, HistoryPartitions partitions, HistoryPartitions eventPartitions) {
    this.pool = pool;
    this.partitions = partitions;
    this.eventPartitions = eventPartitions;
    this.writer = new PgHistoryWriter(pool, partitions);
    this.eventWriter = new PgHistoryWriter(pool, eventPartitions, PgHistoryWriter.APPEND_EVENTS);
  }

  @Override
  public HistoryPartitions partitions() {
    return partitions;
  }

  @Override
  public HistoryPartitions eventPartitions() {
    return eventPartitions;
  }

  @Override
  public Future<Appended> appendEvents(RecordBatch batch) {
    return track(eventWriter.append(batch));
  }

  @Override
  public Future<Appended> appendEventsOnce(
      String idempotencyKey, String requestSha256, RecordBatch batch) {
    return track(eventWriter.appendOnce(idempotencyKey, requestSha256, batch));
  }

  @Override
  public Future<EventChunk> events(
      String view, String entityKey, long fromMicros, long toMicros, long cutoffMicros) {
    Tuple params =
        eventParams(
            view,
            new String[] {entityKey},
            new long[] {fromMicros},
            new long[] {toMicros},
            cutoffMicros);
    return track(pool.preparedQuery(EVENTS).execute(params)).map(EventChunk::of);
  }

  @Override
  public Future<Void> scanEvents(
      String view,
      String[] keys,
      long[] from,
      long[] to,
      long cutoffMicros,
      int fetchRows,
      Function<EventChunk, Future<Void>> consumer) {
    Tuple params = eventParams(view, keys, from, to, cutoffMicros);
    return track(
        pool.withTransaction(
            conn ->
                conn.prepare(EVENTS)
                    .compose(
                        statement -> {
                          Cursor cursor = statement.cursor(params);
                          return drain(cursor, fetchRows, EventChunk::of, consumer)
                              .eventually(() -> cursor.close().eventually(statement::close));
                        })));
  }

  @Override
  public Future<long[][]> receivedBatches(String view, long untilIngestedMicros) {
    Tuple params = Tuple.of(view, Timestamps.toOffsetDateTime(untilIngestedMicros));
    return track(pool.preparedQuery(RECEIVED).execute(params))
        .map(
            rows -> {
              long[] ingested = new long[rows.size()];
              long[] newest = new long[rows.size()];
              int i = 0;
              for (Row row : rows) {
                ingested[i] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(0));
                newest[i++] = Timestamps.fromOffsetDateTime(row.getOffsetDateTime(1));
              }
              return new long[][] {ingested, newest};
            });
  }

  /** The whole read stays within the lowest and highest bound, so other months stay unplanned. */
  private static Tuple eventParams(
      String view, String[] keys, long[] from, long[] to, long cutoffMicros) {
    long lowest = Long.MAX_VALUE;
    long highest = Long.MIN_VALUE;
    for (int i = 0; i < keys.length; i++) {
      lowest = Math.min(lowest, from[i]);
      highest = Math.max(highest, to[i]);
    }
    return Tuple.tuple()
        .addString(view)
        .addArrayOfString(keys)
        .addArrayOfOffsetDateTime(Timestamps.toOffsetDateTimes(from))
        .addArrayOfOffsetDateTime(Timestamps.toOffsetDateTimes(to))
        .addOffsetDateTime(Timestamps.toOffsetDateTime(cutoffMicros))
        .addOffsetDateTime(Timestamps.toOffsetDateTime(lowest))
        .addOffsetDateTime(Timestamps.toOffsetDateTime(highest));
  }

  @Override
  public String name() {
    return "cold";
  }

  @Override
  public boolean isUp() {
    return up;
  }

  @Override
  public Future<List<FeatureRecord>> latest(List<TierKey> keys) {
    String[] views = new String[keys.size()];
    String[] entities = new String[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      views[i] = keys.get(i).view();
      entities[i] = keys.get(i).entityKey();
    }
    return track(
            pool.preparedQuery(LATEST)
                .execute(Tuple.tuple().addArrayOfString(views).addArrayOfString(entities)))
        .map(rows -> aligned(rows, keys.size()));
  }

  private static List<FeatureRecord> aligned(Iterable<Row> rows, int size) {
    FeatureRecord[] aligned = new FeatureRecord[size];
    for (Row row : rows) {
      aligned[(int) (row.getLong("ord") - 1)] = toRecord(row);
    }
    return Arrays.asList(aligned);
  }

  private static FeatureRecord toRecord(Row row) {
    return FeatureRecord.ofJson(
        Timestamps.fromOffsetDateTime(row.getOffsetDateTime("event_ts")),
        Timestamps.fromOffsetDateTime(row.getOffsetDateTime("ingested_at")),
        row.getString("feature_values"));
  }

  @Override
  public Future<Appended> append(RecordBatch batch) {
    return track(writer.append(batch));
  }

  @Override
  public Future<Appended> appendOnce(
      String idempotencyKey, String requestSha256, RecordBatch batch) {
    return track(writer.appendOnce(idempotencyKey, requestSha256, batch));
  }

  @Override
  public Future<Void> forgetKeysOlderThan(java.time.Duration retention) {
    return track(writer.forgetKeysOlderThan(retention));
  }

  @Override
  public Future<FeatureRecord> asOf(
      String view, String entityKey, long atMicros, long cutoffMicros, long ttlMicros) {
    Tuple params =
        Tuple.of(
            view,
            entityKey,
            Timestamps.toOffsetDateTime(atMicros),
            Timestamps.toOffsetDateTime(cutoffMicros),
            Timestamps.toOffsetDateTime(earliest(atMicros, ttlMicros)));
    return track(pool.preparedQuery(AS_OF).execute(params))
        .map(rows -> rows.size() == 0 ? null : toRecord(rows.iterator().next()));
  }

  @Override
  public Future<Void> scanHistory(
      String view,
      String[] keys,
      long[] since,
      long[] until,
      long cutoffMicros,
      boolean asKnownAtRow,
      long ttlMicros,
      int fetchRows,
      Function<HistoryChunk, Future<Void>> consumer) {
    long[] lo = new long[since.length];
    long lowest = Long.MAX_VALUE;
    long highest = Long.MIN_VALUE;
    for (int i = 0; i < since.length; i++) {
      lo[i] = earliest(since[i], ttlMicros);
      lowest = Math.min(lowest, lo[i]);
      highest = Math.max(highest, until[i]);
    }
    Tuple params =
        Tuple.tuple()
            .addString(view)
            .addArrayOfString(keys)
            .addArrayOfOffsetDateTime(Timestamps.toOffsetDateTimes(since))
            .addArrayOfOffsetDateTime(Timestamps.toOffsetDateTimes(until))
            .addOffsetDateTime(Timestamps.toOffsetDateTime(cutoffMicros))
            .addBoolean(asKnownAtRow)
            .addArrayOfOffsetDateTime(Timestamps.toOffsetDateTimes(lo))
            .addOffsetDateTime(Timestamps.toOffsetDateTime(lowest))
            .addOffsetDateTime(Timestamps.toOffsetDateTime(highest));
    // A cursor lives in a transaction; it is read-only, so commit and rollback are the same.
    return track(
        pool.withTransaction(
            conn ->
                conn.prepare(HISTORY)
                    .compose(
                        statement -> {
                          Cursor cursor = statement.cursor(params);
                          return drain(cursor, fetchRows, HistoryChunk::of, consumer)
                              .eventually(() -> cursor.close().eventually(statement::close));
                        })));
  }

  /** The oldest event time a record can have and still be within the ttl at {@code atMicros}. */
  private static long earliest(long atMicros, long ttlMicros) {
    return ttlMicros >= atMicros - EARLIEST_MICROS ? EARLIEST_MICROS : atMicros - ttlMicros;
  }

  /**
   * Reads the next chunk while the consumer works on the one before it, and no further: at most two
   * chunks are held however long the history. A loop of callbacks rather than a recursion of
   * composed futures, whose chain would keep every chunk reachable until the scan ends.
   */
  private static <C> Future<Void> drain(
      Cursor cursor,
      int fetchRows,
      Function<RowSet<Row>, C> chunks,
      Function<C, Future<Void>> consumer) {
    Promise<Void> done = Promise.promise();
    readNext(cursor, fetchRows, chunks, consumer, Future.succeededFuture(), done);
    return done.future();
  }

  private static <C> void readNext(
      Cursor cursor,
      int fetchRows,
      Function<RowSet<Row>, C> chunks,
      Function<C, Future<Void>> consumer,
      Future<Void> consumed,
      Promise<Void> done) {
    cursor
        .read(fetchRows)
        .onFailure(done::tryFail)
        .onSuccess(
            rows -> {
              C chunk = chunks.apply(rows);
              Future<Void> next = consumed.compose(v -> consumer.apply(chunk));
              if (!cursor.hasMore()) {
                next.onComplete(done);
                return;
              }
              consumed
                  .onFailure(done::tryFail)
                  .onSuccess(v -> readNext(cursor, fetchRows, chunks, consumer, next, done));
            });
  }

  @Override
  public Future<List<Watermark>> watermarks() {
    return track(pool.query(WATERMARKS).execute())
        .map(
            rows -> {
              List<Watermark> out = new java.util.ArrayList<>();
              for (Row row : rows) {
                out.add(
                    new Watermark(
                        row.getString("view_name"),
                        Timestamps.fromOffsetDateTime(row.getOffsetDateTime("last_event_ts")),
                        Timestamps.fromOffsetDateTime(row.getOffsetDateTime("last_ingested_at"))));
              }
              return out;
            });
  }

  @Override
  public Future<Void> check() {
    return track(pool.query("SELECT 1").execute()).mapEmpty();
  }

  /** Keeps {@link #isUp()} current and turns infrastructure failures into one exception type. */
  private <T> Future<T> track(Future<T> operation) {
    long number = started.incrementAndGet();
    return operation.transform(
        (result, failure) -> {
          if (failure == null) {
            if (settle(number, true)) {
              LOG.log(System.Logger.Level.INFO, "cold tier (Postgres) is up");
            }
            return Future.succeededFuture(result);
          }
          if (PgFailures.isIngestedAtTaken(failure)) {
            return Future.failedFuture(new IngestedAtTakenException(failure));
          }
          if (!PgFailures.isUnavailable(failure)) {
            return Future.failedFuture(failure);
          }
          if (settle(number, false)) {
            LOG.log(
                System.Logger.Level.WARNING,
                "cold tier (Postgres) is down: " + failure.getMessage());
          }
          return Future.failedFuture(
              new TierUnavailableException("cold tier (Postgres) is unavailable", failure));
        });
  }

  /**
   * Sets {@link #isUp()} from the outcome of operation {@code number} unless one started after it
   * has already settled it: a connection accepted during crash recovery can be refused after a
   * later one has worked, and that old refusal says nothing about now. Answers whether it changed.
   */
  private synchronized boolean settle(long number, boolean nowUp) {
    if (number < settledBy) {
      return false;
    }
    settledBy = number;
    boolean changed = up != nowUp;
    up = nowUp;
    return changed;
  }
}
