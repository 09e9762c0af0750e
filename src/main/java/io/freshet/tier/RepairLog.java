package io.freshet.tier;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;

/**
 * The warm tier's durable repair log in Postgres ({@code warm_repairs}): each committed batch's
 * keys, written by the statement that appends the batch and settled once Redis has taken it. What
 * is left unsettled is what Redis may hold an older value of, whichever instance wrote it and
 * whether or not that instance still runs.
 */
public interface RepairLog {

  /** Logged batches one step of a repair takes: about 20,000 keys of 1,000-row batches. */
  int PAGE = 20;

  static RepairLog create(Pool pool) {
    return new PgRepairLog(pool);
  }

  /** One logged batch: its ticket, its view and its entity keys. */
  record Entry(long ticket, String view, List<String> entityKeys) {}

  /**
   * Redis took the batch of {@code ticket}. Settled tickets are deleted together, one statement at
   * a time, so a busy write path costs one delete per many batches; a ticket lost to a failure
   * stays logged and is repaired later, which costs a refill, never a wrong value.
   */
  void settle(long ticket);

  /**
   * The newest ticket logged so far (0 when none): a repair goes no further than where it began.
   */
  Future<Long> newest();

  /**
   * Up to {@link #PAGE} unsettled entries after {@code afterTicket} and up to {@code upToTicket},
   * oldest first, logged at least {@code olderThan} ago (by the database's clock).
   */
  Future<List<Entry>> page(long afterTicket, long upToTicket, Duration olderThan);

  /** Forgets entries whose keys were dropped from Redis. */
  Future<Void> repaired(long[] tickets);

  /** Keys of unsettled entries: in flight, or waiting for a repair. */
  Future<Long> pendingKeys();
}
