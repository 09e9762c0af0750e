package io.freshet.tier;

import io.freshet.model.TierKey;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Duration;

/**
 * The shared Redis tier. It is taken down by a failed probe or a failed write, never by a read that
 * failed or was slow (its reader falls back to Postgres alone). While it is down, reads skip it and
 * writes remember the keys they could not update; when it answers again those keys are dropped
 * before it serves anything, so it never returns a value older than one acknowledged during the
 * outage.
 */
public interface WarmTier extends CacheTier {

  static WarmTier create(Redis redis, String keyPrefix, Duration timeout) {
    return new RedisWarmTier(redis, keyPrefix, timeout);
  }

  boolean isUp();

  /** Probes Redis; repairs and brings the tier back up when it answers after an outage. */
  Future<Void> check();

  /** Keys written while the tier was down and not yet dropped from Redis. */
  int pendingRepairs();

  /** Removes every key under this tier's prefix (tests and operators rebuilding the tier). */
  Future<Void> clear();

  String redisKey(TierKey key);
}
