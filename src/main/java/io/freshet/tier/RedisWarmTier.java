package io.freshet.tier;

import io.freshet.model.Digests;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

final class RedisWarmTier implements WarmTier {

  private static final System.Logger LOG = System.getLogger(RedisWarmTier.class.getName());
  private static final String SCRIPT = loadScript();
  private static final int REPAIR_CHUNK = 1000;
  private static final int SCAN_COUNT = 1000;

  private final PipelinedRedis redis;
  private final String prefix;
  private final String scriptSha;
  private final Set<TierKey> pendingRepair = new HashSet<>();
  private volatile boolean up = true;

  RedisWarmTier(Redis redis, String prefix, Duration timeout) {
    this.redis = new PipelinedRedis(redis, timeout.toMillis());
    this.prefix = prefix;
    this.scriptSha = sha1Hex(SCRIPT);
  }

  @Override
  public String name() {
    return "warm";
  }

  @Override
  public boolean isUp() {
    return up;
  }

  @Override
  public String redisKey(TierKey key) {
    return prefix + key.view() + ":" + key.entityKey();
  }

  @Override
  public Future<List<FeatureRecord>> latest(List<TierKey> keys) {
    if (!up) {
      return Future.failedFuture(new TierUnavailableException("warm tier is down"));
    }
    Request mget = Request.cmd(Command.MGET);
    keys.forEach(k -> mget.arg(redisKey(k)));
    // A read that fails leaves the tier up: the reader falls back to Postgres on its own, and only
    // a failed probe or write (whose keys must then be repaired) takes the tier down.
    return redis.read(mget).map(this::decodeAll);
  }

  private List<FeatureRecord> decodeAll(Response values) {
    List<FeatureRecord> records = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      Response value = values.get(i);
      records.add(value == null ? null : RecordCodec.decode(value.toString()));
    }
    return records;
  }

  @Override
  public Future<Void> offer(List<TierKey> keys, List<FeatureRecord> records) {
    if (!up && rememberWhileDown(keys)) {
      return Future.failedFuture(new TierUnavailableException("warm tier is down"));
    }
    // SCRIPT LOAD first, on the same pipelined connection: a restarted Redis has no scripts, and
    // this makes the EVALSHAs that follow valid without a NOSCRIPT round trip.
    List<Request> batch = new ArrayList<>(keys.size() + 1);
    batch.add(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SCRIPT));
    for (int i = 0; i < keys.size(); i++) {
      FeatureRecord record = records.get(i);
      if (record != null) {
        batch.add(
            Request.cmd(Command.EVALSHA)
                .arg(scriptSha)
                .arg(1)
                .arg(redisKey(keys.get(i)))
                .arg(RecordCodec.encode(record)));
      }
    }
    return redis
        .batch(batch)
        .onFailure(
            e -> {
              rememberWhileDown(keys);
              markDown(e);
            })
        .mapEmpty();
  }

  /** Returns whether the tier is still down once the keys are remembered under the lock. */
  private boolean rememberWhileDown(List<TierKey> keys) {
    synchronized (pendingRepair) {
      pendingRepair.addAll(keys);
      return !up;
    }
  }

  private void markDown(Throwable cause) {
    if (up) {
      LOG.log(System.Logger.Level.WARNING, "warm tier (Redis) is down: " + cause.getMessage());
    }
    up = false;
  }

  @Override
  public Future<Void> check() {
    return send(Request.cmd(Command.PING))
        .compose(pong -> up ? Future.succeededFuture() : repair())
        .recover(
            e -> {
              markDown(e);
              return Future.failedFuture(e);
            });
  }

  /**
   * Drops every key written while Redis was unreachable, then declares the tier up. The emptiness
   * check and the state change happen under the lock writers take while the tier is down, so no
   * write can slip between them unrepaired.
   */
  private Future<Void> repair() {
    List<TierKey> chunk;
    synchronized (pendingRepair) {
      if (pendingRepair.isEmpty()) {
        up = true;
        LOG.log(System.Logger.Level.INFO, "warm tier (Redis) is up");
        return Future.succeededFuture();
      }
      chunk = new ArrayList<>(REPAIR_CHUNK);
      for (TierKey key : pendingRepair) {
        chunk.add(key);
        if (chunk.size() == REPAIR_CHUNK) {
          break;
        }
      }
    }
    Request del = Request.cmd(Command.DEL);
    chunk.forEach(k -> del.arg(redisKey(k)));
    return send(del)
        .compose(
            deleted -> {
              synchronized (pendingRepair) {
                chunk.forEach(pendingRepair::remove);
              }
              return repair();
            });
  }

  @Override
  public int pendingRepairs() {
    synchronized (pendingRepair) {
      return pendingRepair.size();
    }
  }

  @Override
  public Future<Void> clear() {
    Promise<Void> cleared = Promise.promise();
    clearFrom("0", cleared);
    return cleared.future();
  }

  /**
   * One SCAN page, then the next from this page's callback. Composing each page onto the next would
   * nest one future per page, and completing thousands of them (a Redis shared with other keys)
   * overflows the stack.
   */
  private void clearFrom(String cursor, Promise<Void> cleared) {
    send(Request.cmd(Command.SCAN)
            .arg(cursor)
            .arg("MATCH")
            .arg(prefix + "*")
            .arg("COUNT")
            .arg(SCAN_COUNT))
        .compose(
            page -> {
              String next = page.get(0).toString();
              Response keys = page.get(1);
              if (keys.size() == 0) {
                return Future.succeededFuture(next);
              }
              Request del = Request.cmd(Command.DEL);
              keys.forEach(k -> del.arg(k.toString()));
              return send(del).map(next);
            })
        .onSuccess(
            next -> {
              if (next.equals("0")) {
                cleared.complete();
              } else {
                clearFrom(next, cleared);
              }
            })
        .onFailure(cleared::fail);
  }

  private Future<Response> send(Request request) {
    return redis.send(request).onFailure(this::markDown);
  }

  private static String loadScript() {
    try (InputStream in = RedisWarmTier.class.getResourceAsStream("/redis/newest_wins.lua")) {
      if (in == null) {
        throw new IllegalStateException("redis/newest_wins.lua is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1Hex(String text) {
    MessageDigest digest = Digests.create("SHA-1");
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    return Digests.hex(digest);
  }
}
