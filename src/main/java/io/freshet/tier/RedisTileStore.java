package io.freshet.tier;

import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private String marker(TierKey entity) {
    return keys.tiles(entity, "");
  }

  /** A group's key from its entity's marker key: what a batch's hundreds of entities make once. */
  private static String group(String marker, String group) {
    return marker + ":" + group;
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
    List<Request> requests = new ArrayList<>();
    for (Query query : queries) {
      String markerKey = marker(query.entity());
      Request marker = Request.cmd(Command.HMGET).arg(markerKey).arg("g").arg("b");
      query.fields().keySet().forEach(group -> marker.arg("k:" + group(markerKey, group)));
      requests.add(marker);
      query
          .fields()
          .forEach(
              (group, fields) -> {
                Request hmget = Request.cmd(Command.HMGET).arg(group(markerKey, group)).arg("@");
                fields.forEach(hmget::arg);
                requests.add(hmget);
              });
    }
    return redis.batch(requests).map(answers -> found(queries, answers));
  }

  private static List<Found> found(List<Query> queries, List<Response> answers) {
    List<Found> found = new ArrayList<>(queries.size());
    int at = 0;
    for (Query query : queries) {
      Response marker = answers.get(at++);
      String generation = marker.get(0) == null ? "" : marker.get(0).toString();
      boolean built = marker.get(1) != null;
      Map<String, List<byte[]>> values = new LinkedHashMap<>();
      int listed = 2;
      for (String group : query.fields().keySet()) {
        Response answer = answers.get(at++);
        // A group the marker lists but Redis no longer has (its '@' is gone) was evicted: the
        // tiles are incomplete, and count as not built, so the read rebuilds them.
        if (marker.get(listed++) != null && answer.get(0) == null) {
          built = false;
        }
        List<byte[]> groupValues = new ArrayList<>(answer.size() - 1);
        for (int i = 1; i < answer.size(); i++) {
          Response value = answer.get(i);
          groupValues.add(value == null ? null : value.toBytes());
        }
        values.put(group, groupValues);
      }
      found.add(new Found(generation, built, values));
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
    changes.forEach(change -> calls.add(call(UPDATE, change, Long.toString(ticket))));
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
        .write(List.of(INSTALL.load(), call(INSTALL, rebuilt, tickets.toString())))
        .map(answers -> answers.get(1).toInteger() == 1);
  }

  private Request call(RedisScript script, Change change, String tickets) {
    String marker = marker(change.entity());
    Request call = script.call(1 + change.groups().size()).arg(marker);
    change.groups().keySet().forEach(group -> call.arg(group(marker, group)));
    call.arg(change.generation())
        .arg(instance + ":" + generations.incrementAndGet())
        .arg(Math.max(1, change.markerTtlMs()))
        .arg(tickets);
    change
        .groups()
        .values()
        .forEach(
            group -> {
              call.arg(Math.max(1, group.ttlMs())).arg(group.fields().size());
              for (int i = 0; i < group.fields().size(); i++) {
                call.arg(group.fields().get(i)).arg(group.values().get(i));
              }
            });
    return call;
  }

  @Override
  public Future<Void> drop(List<TierKey> entities) {
    List<Request> deletes = new ArrayList<>(entities.size());
    entities.forEach(e -> deletes.add(Request.cmd(Command.DEL).arg(marker(e))));
    return redis.write(deletes).onFailure(warm::writeFailed).mapEmpty();
  }

  @Override
  public void settle(long ticket) {
    repairs.settle(ticket);
  }
}
