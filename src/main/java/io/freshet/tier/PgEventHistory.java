package io.freshet.tier;

import io.freshet.model.TierUnavailableException;
import io.freshet.model.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reads {@code event_history} by its (view, entity, event time) index: a few ranges of event time
 * for a window's edges, or everything since a time for a rebuild, the latter streamed through a
 * cursor of one statement that also reads the keys the repair log still holds, so both come from
 * one snapshot.
 */
final class PgEventHistory implements EventHistory {

  private static final String COLUMNS =
      "SELECT entity_key, event_ts, ingested_at, seq, event_values::text AS event_values";

  private static final String SINCE =
      COLUMNS
          + ", NULL::bigint AS ticket FROM event_history"
          + " WHERE view_name = $1 AND entity_key = ANY($2::text[]) AND event_ts >= $3"
          + " UNION ALL SELECT k, NULL::timestamptz, NULL::timestamptz, NULL::integer, NULL::text, r.id"
          + " FROM warm_repairs r"
          + " CROSS JOIN LATERAL unnest(r.entity_keys) k"
          + " WHERE r.view_name = $1 AND r.entity_keys && $2::text[] AND k = ANY($2::text[])";

  /** Rows a rebuild reads at a time. */
  private static final int CHUNK = 10_000;

  private final Pool pool;

  /** The statement of each number of ranges asked so far (one per view's distinct windows). */
  private final ConcurrentHashMap<Integer, String> inRanges = new ConcurrentHashMap<>();

  PgEventHistory(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<StoredEvent>> inRanges(
      String view, List<String> keys, long[] from, long[] to) {
    Tuple params = Tuple.tuple().addString(view).addArrayOfString(keys.toArray(new String[0]));
    for (int i = 0; i < from.length; i++) {
      params
          .addOffsetDateTime(Timestamps.toOffsetDateTime(from[i]))
          .addOffsetDateTime(Timestamps.toOffsetDateTime(to[i]));
    }
    return unavailableAsSuch(
            pool.preparedQuery(inRanges.computeIfAbsent(from.length, PgEventHistory::inRanges))
                .execute(params))
        .map(
            rows -> {
              List<StoredEvent> events = new ArrayList<>(rows.size());
              rows.forEach(row -> events.add(event(row)));
              return events;
            });
  }

  private static String inRanges(int ranges) {
    StringBuilder sql =
        new StringBuilder(COLUMNS)
            .append(
                " FROM event_history WHERE view_name = $1 AND entity_key = ANY($2::text[]) AND (");
    for (int i = 0; i < ranges; i++) {
      sql.append(i == 0 ? "" : " OR ")
          .append("(event_ts >= $")
          .append(3 + 2 * i)
          .append(" AND event_ts < $")
          .append(4 + 2 * i)
          .append(')');
    }
    return sql.append(')').toString();
  }

  @Override
  public Future<Map<String, List<Long>>> since(
      String view, List<String> keys, long sinceMicros, Consumer<StoredEvent> each) {
    Tuple params =
        Tuple.of(view, keys.toArray(new String[0]), Timestamps.toOffsetDateTime(sinceMicros));
    // A cursor lives in a transaction; it is read-only, so commit and rollback are the same.
    return unavailableAsSuch(
        pool.withTransaction(
            conn ->
                conn.prepare(SINCE)
                    .compose(
                        statement -> {
                          Cursor cursor = statement.cursor(params);
                          Map<String, List<Long>> unsettled = new HashMap<>();
                          Promise<Void> done = Promise.promise();
                          readNext(cursor, unsettled, each, done);
                          return done.future()
                              .eventually(() -> cursor.close().eventually(statement::close))
                              .map(unsettled);
                        })));
  }

  /**
   * One chunk, then the next from this one's callback: a loop, not a chain of composed futures that
   * would keep every chunk reachable until the last.
   */
  private static void readNext(
      Cursor cursor,
      Map<String, List<Long>> unsettled,
      Consumer<StoredEvent> each,
      Promise<Void> done) {
    cursor
        .read(CHUNK)
        .onFailure(done::tryFail)
        .onSuccess(
            rows -> {
              for (Row row : rows) {
                Long ticket = row.getLong("ticket");
                if (ticket != null) {
                  unsettled
                      .computeIfAbsent(row.getString("entity_key"), k -> new ArrayList<>())
                      .add(ticket);
                } else {
                  each.accept(event(row));
                }
              }
              if (cursor.hasMore()) {
                readNext(cursor, unsettled, each, done);
              } else {
                done.tryComplete();
              }
            });
  }

  private static StoredEvent event(Row row) {
    return new StoredEvent(
        row.getString("entity_key"),
        Timestamps.fromOffsetDateTime(row.getOffsetDateTime("event_ts")),
        Timestamps.fromOffsetDateTime(row.getOffsetDateTime("ingested_at")),
        row.getInteger("seq"),
        row.getString("event_values"));
  }

  private static <T> Future<T> unavailableAsSuch(Future<T> operation) {
    return operation.recover(
        e ->
            Future.failedFuture(
                PgFailures.isUnavailable(e)
                    ? new TierUnavailableException("cold tier (Postgres) is unavailable", e)
                    : e));
  }
}
