package io.freshet.tier;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

final class PgRepairLog implements RepairLog {

  private static final System.Logger LOG = System.getLogger(PgRepairLog.class.getName());

  private static final String FORGET = "DELETE FROM warm_repairs WHERE id = ANY($1)";
  private static final String NEWEST = "SELECT coalesce(max(id), 0) FROM warm_repairs";
  private static final String PAGE_OF =
      "SELECT id, view_name, entity_keys FROM warm_repairs"
          + " WHERE id > $1 AND id <= $2 AND created_at <= now() - $3 * interval '1 millisecond'"
          + " ORDER BY id LIMIT "
          + PAGE;
  private static final String PENDING =
      "SELECT coalesce(sum(key_count), 0)::bigint FROM warm_repairs";

  private final Pool pool;
  private final ConcurrentLinkedQueue<Long> settled = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushing = new AtomicBoolean();

  PgRepairLog(Pool pool) {
    this.pool = pool;
  }

  @Override
  public void settle(long ticket) {
    settled.add(ticket);
    flushIfIdle();
  }

  /**
   * One delete in flight at a time, taking every ticket settled meanwhile: under load the batches
   * grow instead of the statements.
   */
  private void flushIfIdle() {
    if (settled.isEmpty() || !flushing.compareAndSet(false, true)) {
      return;
    }
    long[] tickets = new long[64];
    int count = 0;
    for (Long ticket = settled.poll(); ticket != null; ticket = settled.poll()) {
      if (count == tickets.length) {
        tickets = Arrays.copyOf(tickets, count * 2);
      }
      tickets[count++] = ticket;
    }
    repaired(Arrays.copyOf(tickets, count))
        .onFailure(
            e ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "settled repair tickets left in the log (repaired later): " + e.getMessage()))
        .onComplete(
            done -> {
              flushing.set(false);
              flushIfIdle();
            });
  }

  @Override
  public Future<Long> newest() {
    return pool.query(NEWEST).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  @Override
  public Future<List<Entry>> page(long afterTicket, long upToTicket, Duration olderThan) {
    return pool.preparedQuery(PAGE_OF)
        .execute(Tuple.of(afterTicket, upToTicket, olderThan.toMillis()))
        .map(
            rows -> {
              List<Entry> entries = new ArrayList<>(rows.size());
              for (Row row : rows) {
                entries.add(
                    new Entry(
                        row.getLong(0), row.getString(1), Arrays.asList(row.getArrayOfStrings(2))));
              }
              return entries;
            });
  }

  @Override
  public Future<Void> repaired(long[] tickets) {
    Long[] boxed = new Long[tickets.length];
    for (int i = 0; i < tickets.length; i++) {
      boxed[i] = tickets[i];
    }
    return pool.preparedQuery(FORGET).execute(Tuple.of(boxed)).mapEmpty();
  }

  @Override
  public Future<Long> pendingKeys() {
    return pool.query(PENDING).execute().map(rows -> rows.iterator().next().getLong(0));
  }
}
