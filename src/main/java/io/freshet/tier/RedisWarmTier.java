package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

final class RedisWarmTier implements WarmTier {

  private static final System.Logger LOG = System.getLogger(RedisWarmTier.class.getName());
  private static final RedisScript NEWEST_WINS = RedisScript.load("newest_wins.lua");
  private static final int REPAIR_CHUNK = 1000;
  private static final int SCAN_COUNT = 1000;

  /**
   * Records per newest-wins call: each call runs alone on the Redis server, so a hundred (a few
   * hundred microseconds) keeps other clients' wait short while saving most of the per-call cost.
   */
  private static final int SCRIPT_KEYS = 100;

  private final PipelinedRedis redis;
  private final RedisNodes nodes;
  private final RedisKeys names;
  private final RepairLog repairs;
  private final Duration grace;

  /**
   * Down until the first check has repaired what the log holds: an instance starting after an
   * outage (or after another instance died mid-write) must not serve what Redis kept meanwhile.
   */
  private volatile boolean up;

  /** Answering again and being repaired: writes go to Redis, reads do not yet. */
  private volatile boolean recovering;

  private final AtomicLong failures = new AtomicLong();

  /**
   * See {@link #epoch()}: moved before {@link #up} changes, so whoever sees it changed sees this.
   */
  private final AtomicLong epoch = new AtomicLong();

  private Future<Void> checking;
  private volatile long pendingKeys;

  RedisWarmTier(
      RedisNodes nodes, String prefix, Duration timeout, RepairLog repairs, Duration grace) {
    this.nodes = nodes;
    this.redis = PipelinedRedis.over(nodes, timeout.toMillis());
    this.names = new RedisKeys(prefix);
    this.repairs = repairs;
    this.grace = grace;
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
  public boolean takesWrites() {
    return up || recovering;
  }

  @Override
  public String redisKey(TierKey key) {
    return names.record(key);
  }

  @Override
  public Future<List<FeatureRecord>> latest(List<TierKey> keys) {
    if (!up) {
      return Future.failedFuture(new TierUnavailableException("warm tier is down"));
    }
    // A read that fails leaves the tier up: the reader falls back to Postgres on its own, and only
    // a failed probe or write (whose keys must then be repaired) takes the tier down.
    if (!nodes.isCluster()) {
      Request mget = Request.cmd(Command.MGET);
      keys.forEach(k -> mget.arg(redisKey(k)));
      return redis.read(mget).map(this::decodeAll);
    }
    // One MGET per slot: the cluster client would split a cross-slot MGET itself, but puts the
    // answers together in no particular order.
    List<String> redisKeys = new ArrayList<>(keys.size());
    keys.forEach(k -> redisKeys.add(redisKey(k)));
    List<int[]> groups = SlotGroups.of(redisKeys, keys.size());
    List<Future<Response>> answers = new ArrayList<>(groups.size());
    for (int[] group : groups) {
      Request mget = Request.cmd(Command.MGET);
      for (int at : group) {
        mget.arg(redisKeys.get(at));
      }
      answers.add(redis.read(mget));
    }
    return Future.all(answers)
        .map(
            all -> {
              FeatureRecord[] records = new FeatureRecord[keys.size()];
              for (int g = 0; g < groups.size(); g++) {
                Response values = all.resultAt(g);
                int[] group = groups.get(g);
                for (int i = 0; i < group.length; i++) {
                  Response value = values.get(i);
                  records[group[i]] = value == null ? null : RecordCodec.decode(value.toString());
                }
              }
              return Arrays.asList(records);
            });
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
  public long epoch() {
    return epoch.get();
  }

  /**
   * A read's copy from Postgres. Refused after an outage began or ended since the read: the repair
   * that ends an outage drops the keys of batches written meanwhile, and a copy read before such a
   * batch committed would otherwise be back in Redis, older than what was acknowledged.
   */
  @Override
  public Future<Void> offer(List<TierKey> keys, List<FeatureRecord> records, long readEpoch) {
    if (!up || epoch.get() != readEpoch) {
      return Future.failedFuture(
          new TierUnavailableException("the warm tier went down or up since the read"));
    }
    List<String> redisKeys = new ArrayList<>(keys.size());
    List<String> encoded = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      FeatureRecord record = records.get(i);
      if (record != null) {
        redisKeys.add(redisKey(keys.get(i)));
        encoded.add(RecordCodec.encode(record));
      }
    }
    return update(redisKeys, encoded).mapEmpty();
  }

  @Override
  public Future<BitSet> offerWritten(long ticket, RecordBatch batch) {
    List<String> redisKeys = new ArrayList<>(batch.size());
    List<String> encoded = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      redisKeys.add(names.record(batch.view(), batch.entityKeys().get(i)));
      encoded.add(RecordCodec.encode(batch.records().get(i)));
    }
    return update(redisKeys, encoded).onSuccess(done -> repairs.settle(ticket));
  }

  /**
   * Newest wins per key; answers which records Redis holds afterwards. While the tier is down
   * nothing is sent: a write's keys stay in the repair log, and a read's fill is only a copy of
   * what Postgres has.
   */
  private Future<BitSet> update(List<String> redisKeys, List<String> encoded) {
    if (!up && !recovering) {
      return Future.failedFuture(new TierUnavailableException("warm tier is down"));
    }
    // SCRIPT LOAD first, on the same pipelined connection: a restarted Redis has no scripts, and
    // this makes the EVALSHAs that follow valid without a NOSCRIPT round trip. (In a cluster it
    // goes to every master, and each call to the master of its keys' one slot.)
    List<int[]> calls = SlotGroups.ofCalls(nodes, redisKeys, SCRIPT_KEYS);
    List<Request> batch = new ArrayList<>(calls.size() + 1);
    batch.add(NEWEST_WINS.load());
    for (int[] call : calls) {
      Request evalsha = NEWEST_WINS.call(redisKeys, call);
      for (int at : call) {
        evalsha.arg(encoded.get(at));
      }
      batch.add(evalsha);
    }
    return redis.write(batch).onFailure(this::markDown).map(answers -> held(answers, calls));
  }

  /** The scripts' answers (after the SCRIPT LOAD's) as one set of the keys' positions. */
  private static BitSet held(List<Response> answers, List<int[]> calls) {
    BitSet held = new BitSet();
    for (int c = 0; c < calls.size(); c++) {
      Response answer = answers.get(c + 1);
      int[] call = calls.get(c);
      for (int i = 0; i < call.length; i++) {
        if (answer.get(i).toInteger() == 1) {
          held.set(call[i]);
        }
      }
    }
    return held;
  }

  @Override
  public void writeFailed(Throwable cause) {
    markDown(cause);
  }

  private void markDown(Throwable cause) {
    // Said when the tier goes down, and at the first failure ever: an instance starts with the
    // tier down (until its first check), and a Redis it never reached deserves a line too.
    if (failures.incrementAndGet() == 1 || up) {
      LOG.log(System.Logger.Level.WARNING, "warm tier (Redis) is down: " + cause.getMessage());
    }
    epoch.incrementAndGet();
    up = false;
  }

  /**
   * While up, repairs what the log has held longer than the grace: batches whose writer could not
   * reach Redis, or died before it did, on any instance. Once Redis answers again after this
   * instance saw it fail (or at start), repairs everything logged before declaring the tier up.
   */
  @Override
  public synchronized Future<Void> check() {
    // One at a time: a probe that comes while a long repair still runs joins it, so two
    // recoveries never overlap (one ending would let writes fail fast while the other still
    // counts on them reaching Redis).
    if (checking != null && !checking.isComplete()) {
      return checking;
    }
    checking =
        probe().compose(pong -> up ? repair(grace) : recover()).eventually(this::countPending);
    return checking;
  }

  /**
   * A PING; in a cluster, CLUSTER SLOTS instead, which also tells how many replicas a write must
   * wait for. A master that died is found by the writes and repairs that fail on it.
   */
  private Future<Response> probe() {
    if (!nodes.isCluster()) {
      return send(Request.cmd(Command.PING));
    }
    return send(Request.cmd(Command.CLUSTER).arg("SLOTS")).onSuccess(nodes::learnReplicas);
  }

  /**
   * Writes go to Redis from the moment recovery starts, so every write the repair does not see
   * (committed after it began) updates Redis itself. The tier comes up only if nothing failed
   * meanwhile; otherwise the next check starts over.
   */
  private Future<Void> recover() {
    long failuresBefore = failures.get();
    recovering = true;
    return repair(Duration.ZERO)
        .onSuccess(
            repaired -> {
              if (failures.get() == failuresBefore) {
                epoch.incrementAndGet();
                up = true;
                LOG.log(System.Logger.Level.INFO, "warm tier (Redis) is up");
              }
            })
        .onComplete(done -> recovering = false);
  }

  /**
   * Drops from Redis the keys of every unsettled batch logged at least {@code olderThan} ago, up to
   * the newest logged when the repair began, a page at a time; each page is forgotten once its keys
   * are gone. A loop of callbacks, as a long outage leaves many pages.
   */
  private Future<Void> repair(Duration olderThan) {
    Promise<Void> done = Promise.promise();
    repairs
        .newest()
        .onFailure(done::fail)
        .onSuccess(newest -> repairFrom(0, newest, olderThan, done));
    return done.future();
  }

  private void repairFrom(long after, long newest, Duration olderThan, Promise<Void> done) {
    repairs
        .page(after, newest, olderThan)
        .compose(page -> drop(page).map(page))
        .onFailure(done::fail)
        .onSuccess(
            page -> {
              if (page.size() < RepairLog.PAGE) {
                done.complete();
              } else {
                repairFrom(page.get(page.size() - 1).ticket(), newest, olderThan, done);
              }
            });
  }

  private Future<Void> drop(List<RepairLog.Entry> page) {
    if (page.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Request> deletes = new ArrayList<>();
    long[] tickets = new long[page.size()];
    for (int i = 0; i < page.size(); i++) {
      RepairLog.Entry entry = page.get(i);
      tickets[i] = entry.ticket();
      for (int from = 0; from < entry.entityKeys().size(); from += REPAIR_CHUNK) {
        Request del = Request.cmd(Command.DEL);
        for (String key :
            entry
                .entityKeys()
                .subList(from, Math.min(entry.entityKeys().size(), from + REPAIR_CHUNK))) {
          TierKey entity = new TierKey(entry.view(), key);
          // The record of a records view, the tiles of an event view: one DEL drops either.
          del.arg(redisKey(entity)).arg(names.tiles(entity));
        }
        deletes.add(del);
      }
    }
    // In a cluster the client splits each DEL's keys by slot.
    return redis
        .write(deletes)
        .onFailure(this::markDown)
        .compose(deleted -> repairs.repaired(tickets));
  }

  private Future<Void> countPending() {
    return repairs
        .pendingKeys()
        .<Void>map(
            keys -> {
              pendingKeys = keys;
              return null;
            })
        .otherwiseEmpty();
  }

  @Override
  public int pendingRepairs() {
    return (int) Math.min(Integer.MAX_VALUE, pendingKeys);
  }

  /** In a cluster, every master is scanned on a connection of its own: a SCAN covers one node. */
  @Override
  public Future<Void> clear() {
    if (!nodes.isCluster()) {
      return clearNode(this::send, redis::batch).onFailure(this::markDown);
    }
    return nodes
        .masters(redis.timeoutMs())
        .compose(
            masters -> {
              List<Future<Void>> cleared = new ArrayList<>(masters.size());
              for (String master : masters) {
                cleared.add(
                    nodes.onNode(
                        master,
                        redis.timeoutMs(),
                        c ->
                            clearNode(
                                r -> c.send(r).timeout(redis.timeoutMs(), TimeUnit.MILLISECONDS),
                                b ->
                                    c.batch(b).timeout(redis.timeoutMs(), TimeUnit.MILLISECONDS))));
              }
              return Future.all(cleared).<Void>mapEmpty();
            })
        .onFailure(this::markDown);
  }

  private Future<Void> clearNode(
      Function<Request, Future<Response>> send,
      Function<List<Request>, Future<List<Response>>> batch) {
    Promise<Void> cleared = Promise.promise();
    clearFrom("0", send, batch, cleared);
    return cleared.future();
  }

  /**
   * One SCAN page, then the next from this page's callback. Composing each page onto the next would
   * nest one future per page, and completing thousands of them (a Redis shared with other keys)
   * overflows the stack. Keys are deleted one a command: a cluster node refuses a DEL whose keys
   * lie in several slots.
   */
  private void clearFrom(
      String cursor,
      Function<Request, Future<Response>> send,
      Function<List<Request>, Future<List<Response>>> batch,
      Promise<Void> cleared) {
    send.apply(
            Request.cmd(Command.SCAN)
                .arg(cursor)
                .arg("MATCH")
                .arg(names.prefix() + "*")
                .arg("COUNT")
                .arg(SCAN_COUNT))
        .compose(
            page -> {
              String next = page.get(0).toString();
              Response keys = page.get(1);
              if (keys.size() == 0) {
                return Future.succeededFuture(next);
              }
              List<Request> deletes = new ArrayList<>(keys.size());
              keys.forEach(k -> deletes.add(Request.cmd(Command.DEL).arg(k.toString())));
              return batch.apply(deletes).map(next);
            })
        .onSuccess(
            next -> {
              if (next.equals("0")) {
                cleared.complete();
              } else {
                clearFrom(next, send, batch, cleared);
              }
            })
        .onFailure(cleared::fail);
  }

  private Future<Response> send(Request request) {
    return redis.send(request).onFailure(this::markDown);
  }
}
