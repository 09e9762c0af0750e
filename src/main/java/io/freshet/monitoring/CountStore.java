package io.freshet.monitoring;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Per-minute drift counts shared by every instance: one hash per service, baseline and minute,
 * summed by increments, each expiring once no window can reach it.
 */
interface CountStore {

  /** Adds to each bucket's fields (bucket key → field → increment) and renews their expiry. */
  Future<Void> add(Map<String, Map<String, Long>> increments, Duration keep);

  /** Each bucket's fields, in the order asked; an empty map for a bucket that holds nothing. */
  Future<List<Map<String, Long>>> read(List<String> buckets);

  static CountStore create(Redis redis, String prefix, Duration timeout) {
    return new RedisCountStore(redis, prefix, timeout);
  }
}
