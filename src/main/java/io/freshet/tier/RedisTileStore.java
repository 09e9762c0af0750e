package io.freshet.tier;

import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

final class RedisTileStore implements TileStore {

  private static final RedisScript UPDATE = RedisScript.load("tiles_update.lua");
  private static final RedisScript INSTALL = RedisScript.load("tiles_install.lua");

  /**
   * Entities a call of the update script covers: a call costs Redis several times one entity's
   * work, so it takes many; at about 15 µs of Redis an entity (BENCHMARKS.md), 32 take about half a
   * millisecond, which is as long as another client's command may wait behind one call.
   */
  private static final int SCRIPT_KEYS = 32;

  private final PipelinedRedis redis;
  private final RedisNodes nodes;
  private final RedisKeys keys;
  private final RepairLog repairs;
  private final WarmTier warm;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong generations = new AtomicLong();

  RedisTileStore(
      RedisNodes redis, String prefix, Duration timeout, RepairLog repairs, WarmTier warm) {
    this.redis = PipelinedRedis.over(redis, timeout.toMillis());
    this.nodes = redis;
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
    return fetch(queries);
  }

  @Override
  public Future<List<Found>> readForUpdate(List<Query> queries) {
    if (!warm.takesWrites()) {
      return Future.failedFuture(new TierUnavailableException("warm tier is down"));
    }
    return fetch(queries);
  }

  private Future<List<Found>> fetch(List<Query> queries) {
    List<Request> requests = new ArrayList<>(queries.size());
    for (Query query : queries) {
      Request hmget = Request.cmd(Command.HMGET).arg(keys.tiles(query.entity())).arg("s");
      query.fields().forEach(hmget::arg);
      requests.add(hmget);
    }
    return redis.batch(requests).map(RedisTileStore::found);
  }

  private static List<Found> found(List<Response> answers) {
    List<Found> found = new ArrayList<>(answers.size());
    for (Response answer : answers) {
      List<byte[]> values = new ArrayList<>(answer.size() - 1);
      for (int i = 1; i < answer.size(); i++) {
        Response value = answer.get(i);
        values.add(value == null ? null : value.toBytes());
      }
      found.add(state(answer.get(0) == null ? "" : answer.get(0).toString(), values));
    }
    return found;
  }

  /**
   * The state field, "generation|built|trimmed|counted" (tiles_update.lua), with the tiles read.
   */
  private static Found state(String state, List<byte[]> values) {
    int bar = state.indexOf('|');
    String generation = bar < 0 ? state : state.substring(0, bar);
    boolean built = bar >= 0 && state.startsWith("1|", bar + 1);
    return new Found(generation, built, values);
  }

  @Override
  public Future<List<Boolean>> update(List<Change> changes, long ticket) {
    if (changes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Change first = changes.get(0);
    List<String> redisKeys = new ArrayList<>(changes.size());
    for (Change change : changes) {
      if (change.ttlMs() != first.ttlMs()
          || change.trimBeforeMinute() != first.trimBeforeMinute()
          || change.levels() != first.levels()) {
        return Future.failedFuture(
            new IllegalArgumentException("tile changes of one update are of one view at one time"));
      }
      redisKeys.add(keys.tiles(change.entity()));
    }
    List<int[]> groups = SlotGroups.ofCalls(nodes, redisKeys, SCRIPT_KEYS);
    List<Request> calls = new ArrayList<>(groups.size() + 1);
    calls.add(UPDATE.load());
    for (int[] group : groups) {
      Request call = UPDATE.call(redisKeys, group);
      call.arg(instance + ":" + generations.incrementAndGet())
          .arg(Math.max(1, first.ttlMs()))
          .arg(ticket)
          .arg(first.trimBeforeMinute())
          .arg(first.levels());
      for (int at : group) {
        Change change = changes.get(at);
        tiles(call.arg(change.generation()).arg(change.fields().size()), change);
      }
      calls.add(call);
    }
    return redis
        .write(calls)
        .onFailure(warm::writeFailed)
        .map(
            answers -> {
              Boolean[] applied = new Boolean[changes.size()];
              for (int g = 0; g < groups.size(); g++) {
                Response answer = answers.get(g + 1);
                int[] group = groups.get(g);
                for (int i = 0; i < group.length; i++) {
                  applied[group[i]] = answer.get(i).toInteger() == 1;
                }
              }
              return Arrays.asList(applied);
            });
  }

  @Override
  public long epoch() {
    return warm.epoch();
  }

  @Override
  public Future<Boolean> install(Change rebuilt, List<Long> counted, long epoch) {
    if (!warm.isUp() || warm.epoch() != epoch) {
      return Future.succeededFuture(false);
    }
    StringBuilder tickets = new StringBuilder();
    counted.forEach(t -> tickets.append(tickets.length() == 0 ? "" : ",").append(t));
    Request call =
        INSTALL
            .call(1)
            .arg(keys.tiles(rebuilt.entity()))
            .arg(rebuilt.generation())
            .arg(instance + ":" + generations.incrementAndGet())
            .arg(Math.max(1, rebuilt.ttlMs()))
            .arg(tickets.toString())
            .arg(rebuilt.trimBeforeMinute());
    return redis
        .write(List.of(INSTALL.load(), tiles(call, rebuilt)))
        .map(answers -> answers.get(1).toInteger() == 1);
  }

  /** The change's tiles as field/value pairs. */
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
