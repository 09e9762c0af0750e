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
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

final class PgColdTier implements ColdTier {

  private static final System.Logger LOG = System.getLogger(PgColdTier.class.getName());

  // One statement for a whole batch: arrays unnest into rows server-side, so ingest costs one
  // round trip and one parse whatever the batch size.
  // The view's watermark moves in the same statement, so it can never disagree with the history.
  private static final String APPEND =
      "WITH appended AS ("
          + " INSERT INTO feature_history"
          + " (view_name, entity_key, event_ts, ingested_at, feature_values)"
          + " SELECT $1, k, e, $4, v::jsonb"
          + " FROM unnest($2::text[], $3::timestamptz[], $5::text[]) AS t(k, e, v)"
          + " RETURNING event_ts)"
          + " INSERT INTO view_watermarks (view_name, last_event_ts, last_ingested_at)"
          + " SELECT $1, max(event_ts), $4 FROM appended"
          + " ON CONFLICT (view_name) DO UPDATE SET"
          + " last_event_ts = GREATEST(view_watermarks.last_event_ts, EXCLUDED.last_event_ts),"
          + " last_ingested_at ="
          + " GREATEST(view_watermarks.last_ingested_at, EXCLUDED.last_ingested_at)";

  // One index probe: seek to the time, skip records ingested after the cutoff.
  private static final String AS_OF =
      "SELECT event_ts, ingested_at, feature_values::text AS feature_values FROM feature_history"
          + " WHERE view_name = $1 AND entity_key = $2 AND event_ts <= $3 AND ingested_at <= $4"
          + " ORDER BY event_ts DESC, ingested_at DESC LIMIT 1";

  // One statement per as-of join: a short ordered index range per key, from the record in force
  // at the key's first label time to its last. Keys are probed in array order and each range
  // comes out ascending (the as-of merge checks both, so a different plan cannot go unnoticed).
  // As known at each row ($6), the record in force at the first label time is the one ingested by
  // then, and nothing ingested after the last label time can serve any row.
  private static final String HISTORY =
      "SELECT k.i, h.event_ts, h.ingested_at, h.feature_values::text"
          + " FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[])"
          + "   WITH ORDINALITY AS k(entity_key, since, until, i)"
          + " CROSS JOIN LATERAL (SELECT f.event_ts, f.ingested_at, f.feature_values"
          + "   FROM feature_history f"
          + "   WHERE f.view_name = $1 AND f.entity_key = k.entity_key"
          + "   AND f.ingested_at <= CASE WHEN $6 THEN LEAST($5, k.until) ELSE $5 END"
          + "   AND f.event_ts <= k.until"
          + "   AND f.event_ts >= COALESCE((SELECT g.event_ts FROM feature_history g"
          + "     WHERE g.view_name = $1 AND g.entity_key = k.entity_key AND g.event_ts <= k.since"
          + "     AND g.ingested_at <= CASE WHEN $6 THEN LEAST($5, k.since) ELSE $5 END"
          + "     ORDER BY g.event_ts DESC, g.ingested_at DESC LIMIT 1), '-infinity')"
          + "   ORDER BY f.event_ts, f.ingested_at) h";

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
  private final AtomicLong started = new AtomicLong();
  private long settledBy;
  private volatile boolean up = true;

  PgColdTier(Pool pool) {
    this.pool = pool;
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

  private static final String CLAIM_KEY =
      "INSERT INTO ingest_idempotency"
          + " (idempotency_key, view_name, request_sha256, accepted, ingested_at)"
          + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING";
  private static final String FIRST_ANSWER =
      "SELECT request_sha256, accepted, ingested_at FROM ingest_idempotency"
          + " WHERE idempotency_key = $1";
  private static final String FORGET_KEYS = "DELETE FROM ingest_idempotency WHERE created_at < $1";

  @Override
  public Future<Optional<FirstAnswer>> appendOnce(
      String idempotencyKey,
      String requestSha256,
      String view,
      List<String> entityKeys,
      List<FeatureRecord> records) {
    Tuple claim =
        Tuple.of(
            idempotencyKey,
            view,
            requestSha256,
            records.size(),
            Timestamps.toOffsetDateTime(records.get(0).ingestedMicros()));
    Future<Optional<FirstAnswer>> work =
        pool.withTransaction(
            conn ->
                conn.preparedQuery(CLAIM_KEY)
                    .execute(claim)
                    .compose(
                        claimed -> {
                          if (claimed.rowCount() == 1) {
                            return conn.preparedQuery(APPEND)
                                .execute(appendParams(view, entityKeys, records))
                                .map(r -> Optional.<FirstAnswer>empty());
                          }
                          return conn.preparedQuery(FIRST_ANSWER)
                              .execute(Tuple.of(idempotencyKey))
                              .map(rows -> Optional.of(firstAnswer(rows.iterator().next())));
                        }));
    return track(work);
  }

  private static FirstAnswer firstAnswer(Row row) {
    return new FirstAnswer(
        row.getString("request_sha256"),
        row.getInteger("accepted"),
        Timestamps.fromOffsetDateTime(row.getOffsetDateTime("ingested_at")));
  }

  @Override
  public Future<Void> forgetKeysOlderThan(java.time.Duration retention) {
    return track(pool.preparedQuery(FORGET_KEYS).execute(Tuple.of(retention.toMillis())))
        .mapEmpty();
  }

  @Override
  public Future<Void> append(String view, List<String> entityKeys, List<FeatureRecord> records) {
    return track(pool.preparedQuery(APPEND).execute(appendParams(view, entityKeys, records)))
        .mapEmpty();
  }

  private static Tuple appendParams(
      String view, List<String> entityKeys, List<FeatureRecord> records) {
    int n = records.size();
    String[] keys = entityKeys.toArray(new String[0]);
    OffsetDateTime[] events = new OffsetDateTime[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      events[i] = Timestamps.toOffsetDateTime(records.get(i).eventMicros());
      values[i] = records.get(i).json();
    }
    OffsetDateTime ingestedAt = Timestamps.toOffsetDateTime(records.get(0).ingestedMicros());
    return Tuple.of(view, keys, events, ingestedAt, values);
  }

  @Override
  public Future<FeatureRecord> asOf(
      String view, String entityKey, long atMicros, long cutoffMicros) {
    Tuple params =
        Tuple.of(
            view,
            entityKey,
            Timestamps.toOffsetDateTime(atMicros),
            Timestamps.toOffsetDateTime(cutoffMicros));
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
      int fetchRows,
      Function<HistoryChunk, Future<Void>> consumer) {
    Tuple params =
        Tuple.of(
            view,
            keys,
            Timestamps.toOffsetDateTimes(since),
            Timestamps.toOffsetDateTimes(until),
            Timestamps.toOffsetDateTime(cutoffMicros),
            asKnownAtRow);
    // A cursor lives in a transaction; it is read-only, so commit and rollback are the same.
    return track(
        pool.withTransaction(
            conn ->
                conn.prepare(HISTORY)
                    .compose(
                        statement -> {
                          Cursor cursor = statement.cursor(params);
                          return drain(cursor, fetchRows, consumer)
                              .eventually(() -> cursor.close().eventually(statement::close));
                        })));
  }

  /**
   * Reads the next chunk while the consumer works on the one before it, and no further: at most two
   * chunks are held however long the history. A loop of callbacks rather than a recursion of
   * composed futures, whose chain would keep every chunk reachable until the scan ends.
   */
  private static Future<Void> drain(
      Cursor cursor, int fetchRows, Function<HistoryChunk, Future<Void>> consumer) {
    Promise<Void> done = Promise.promise();
    readNext(cursor, fetchRows, consumer, Future.succeededFuture(), done);
    return done.future();
  }

  private static void readNext(
      Cursor cursor,
      int fetchRows,
      Function<HistoryChunk, Future<Void>> consumer,
      Future<Void> consumed,
      Promise<Void> done) {
    cursor
        .read(fetchRows)
        .onFailure(done::tryFail)
        .onSuccess(
            rows -> {
              HistoryChunk chunk = HistoryChunk.of(rows);
              Future<Void> next = consumed.compose(v -> consumer.apply(chunk));
              if (!cursor.hasMore()) {
                next.onComplete(done);
                return;
              }
              consumed
                  .onFailure(done::tryFail)
                  .onSuccess(v -> readNext(cursor, fetchRows, consumer, next, done));
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
