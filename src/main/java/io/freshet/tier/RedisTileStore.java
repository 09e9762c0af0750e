package io.freshet.tier;

import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

final class RedisTileStore implements TileStore {

  private static final RedisScript UPDATE = RedisScript.load("tiles_update.lua");
  private static final RedisScript INSTALL = RedisScript.load("tiles_install.lua");

  private final PipelinedRedis redis;
  private final RedisKeys keys;
  private final RepairLog repairs;
  private final WarmTier warm;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong generations = new AtomicLong();

  RedisTileStore(
      RedisNodes redis, String prefix, Duration timeout, RepairLog repairs, WarmTier warm) {
    this.redis = PipelinedRedis.over(redis, timeout.toMillis());
    this.keys = new RedisKeys(prefix);
    this.repairs = repairs;
    this.warm = warm;
  }

  @Override
  public boolean isUp() {
    return warm.isUp();
  }

  @Override
  public Future<List<Found>> read(List<Query> queries) {
    if (!warm.isUp()) {
      return Future.failedFuture(new TierUnavailableException("warm tier is down"));
    }
    List<Request> requests = new ArrayList<>(queries.size());
    for (Query query : queries) {
      Request hmget = Request.cmd(Command.HMGET).arg(keys.tiles(query.entity())).arg("g").arg("b");
      query.fields().forEach(hmget::arg);
      requests.add(hmget);
    }
    return redis.batch(requests).map(RedisTileStore::found);
  }

  private static List<Found> found(List<Response> answers) {
    List<Found> found = new ArrayList<>(answers.size());
    for (Response answer : answers) {
      List<byte[]> values = new ArrayList<>(answer.size() - 2);
      for (int i = 2; i < answer.size(); i++) {
        Response value = answer.get(i);
        values.add(value == null ? null : value.toBytes());
      }
      String generation = answer.get(0) == null ? "" : answer.get(0).toString();
      found.add(new Found(generation, answer.get(1) != null, values));
    }
    return found;
  }

  @Override
  public Future<List<Boolean>> update(List<Change> changes, long ticket) {
    if (changes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Request> calls = new ArrayList<>(changes.size() + 1);
    calls.add(UPDATE.load());
    for (Change change : changes) {
      calls.add(tiles(call(UPDATE, change, Long.toString(ticket)).arg(change.levels()), change));
    }
    return redis
        .write(calls)
        .onFailure(warm::writeFailed)
        .map(
            answers -> {
              List<Boolean> applied = new ArrayList<>(changes.size());
              answers.subList(1, answers.size()).forEach(a -> applied.add(a.toInteger() == 1));
              return applied;
            });
  }

  @Override
  public Future<Boolean> install(Change rebuilt, List<Long> counted) {
    StringBuilder tickets = new StringBuilder();
    counted.forEach(t -> tickets.append(tickets.length() == 0 ? "" : ",").append(t));
    return redis
        .write(List.of(INSTALL.load(), tiles(call(INSTALL, rebuilt, tickets.toString()), rebuilt)))
        .map(answers -> answers.get(1).toInteger() == 1);
  }

  /** The arguments both scripts begin with (see their headers). */
  private Request call(RedisScript script, Change change, String tickets) {
    return script
        .call(1)
        .arg(keys.tiles(change.entity()))
        .arg(change.generation())
        .arg(instance + ":" + generations.incrementAndGet())
        .arg(Math.max(1, change.ttlMs()))
        .arg(tickets)
        .arg(change.trimBeforeMinute());
  }

  /** The change's tiles as the scripts' closing field/value pairs. */
  private static Request tiles(Request call, Change change) {
    for (int i = 0; i < change.fields().size(); i++) {
      call.arg(change.fields().get(i)).arg(change.values().get(i));
    }
    return call;
  }

  @Override
  public Future<Void> drop(List<TierKey> entities) {
    List<Request> deletes = new ArrayList<>(entities.size());
    entities.forEach(e -> deletes.add(Request.cmd(Command.DEL).arg(keys.tiles(e))));
    return redis.write(deletes).onFailure(warm::writeFailed).mapEmpty();
  }

  @Override
  public void settle(long ticket) {
    repairs.settle(ticket);
  }
}
