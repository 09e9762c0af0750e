package io.freshet.monitoring;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The counts as Redis hashes under the instance's key prefix, past the hash tag {@code {#drift}}:
 * no view name holds a {@code #}, so they never meet a feature's key, and the one tag keeps them in
 * one Redis Cluster slot, where a batch of them can go to one node. Every call is one pipelined
 * batch with a deadline: a Redis that hangs fails the flush or the read instead of holding it.
 */
final class RedisCountStore implements CountStore {

  private final Redis redis;
  private final String prefix;
  private final long timeoutMs;

  RedisCountStore(Redis redis, String prefix, Duration timeout) {
    this.redis = redis;
    this.prefix = prefix + "{#drift}:";
    this.timeoutMs = timeout.toMillis();
  }

  @Override
  public Future<Void> add(Map<String, Map<String, Long>> increments, Duration keep) {
    if (increments.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Request> batch = new ArrayList<>();
    increments.forEach(
        (bucket, fields) -> {
          fields.forEach(
              (field, by) ->
                  batch.add(Request.cmd(Command.HINCRBY).arg(prefix + bucket).arg(field).arg(by)));
          batch.add(Request.cmd(Command.PEXPIRE).arg(prefix + bucket).arg(keep.toMillis()));
        });
    return redis.batch(batch).timeout(timeoutMs, TimeUnit.MILLISECONDS).mapEmpty();
  }

  @Override
  public Future<List<Map<String, Long>>> read(List<String> buckets) {
    List<Request> batch = new ArrayList<>();
    buckets.forEach(b -> batch.add(Request.cmd(Command.HGETALL).arg(prefix + b)));
    return redis
        .batch(batch)
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(
            responses -> {
              List<Map<String, Long>> out = new ArrayList<>();
              for (Response response : responses) {
                Map<String, Long> fields = new HashMap<>();
                if (response != null) {
                  for (String field : response.getKeys()) {
                    fields.put(field, response.get(field).toLong());
                  }
                }
                out.add(fields);
              }
              return out;
            });
  }
}
