package io.freshet.tier;

import io.freshet.model.TierKey;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.BitSet;

/**
 * The shared Redis tier. It is taken down by a failed probe or a failed write, never by a read that
 * failed or was slow (its reader falls back to Postgres alone). Every write's keys are in the
 * durable {@link RepairLog} until Redis has taken them. While Redis is down, reads skip it and
 * writes leave their keys logged; when it answers again, every logged key is dropped before the
 * tier serves anything, so it never returns a value older than one acknowledged during the outage.
 * Keys left by an instance that could not reach Redis, or that died between its commit and Redis,
 * are dropped by any instance within the grace.
 */
public interface WarmTier extends CacheTier {

  /**
   * {@code timeout} bounds each Redis command; a logged batch unsettled for ten of them is taken
   * for one whose writer will not settle it.
   */
  static WarmTier create(RedisNodes redis, String keyPrefix, Duration timeout, RepairLog repairs) {
    return new RedisWarmTier(redis, keyPrefix, timeout, repairs, timeout.multipliedBy(10));
  }

  boolean isUp();

  /**
   * Whether writes go to Redis: while up, and while recovering from an outage, so that a write the
   * recovery's repair does not see (committed after it began) reaches Redis itself.
   */
  boolean takesWrites();

  /**
   * Offers a committed batch's records, newest wins per key, and settles its repair ticket once
   * Redis took them all; a failure leaves the ticket for a repair. Answers which of the batch's
   * records Redis holds afterwards (by position): those no newer record has beaten.
   */
  Future<BitSet> offerWritten(long ticket, RecordBatch batch);

  /**
   * A write to Redis outside this tier (an event batch's tiles) failed: the tier goes down as for a
   * failed write of its own, and comes back once the repair log's keys are dropped.
   */
  void writeFailed(Throwable cause);

  /** Probes Redis; repairs what the log holds, and brings the tier back up after an outage. */
  Future<Void> check();

  /**
   * Keys of logged batches not yet settled or repaired, on every instance, as of this instance's
   * last check.
   */
  int pendingRepairs();

  /** Removes every key under this tier's prefix (tests and operators rebuilding the tier). */
  Future<Void> clear();

  String redisKey(TierKey key);
}
