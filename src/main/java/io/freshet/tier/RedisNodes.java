package io.freshet.tier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.RedisClusterClient;
import io.vertx.redis.client.impl.RedisURI;
import io.vertx.redis.client.impl.types.NumberType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Redis a deployment uses: one server, or a Redis Cluster reached through vertx-redis-client's
 * cluster client, which routes each command to the master of its key's slot and follows MOVED and
 * ASK. What that client cannot do for Freshet is done here, on plain connections to single nodes: a
 * SCAN (a cursor is one node's), the change feed's subscription (a connection of its own, named in
 * CLIENT LIST), and the check at start that every node answers.
 *
 * <p>Reads and scripts go to masters only: a replica can be behind its master, and a read there
 * could return a record older than one Redis already acknowledged.
 */
public final class RedisNodes {

  static {
    // WAIT and SCRIPT have no key: the cluster client sends such a command to the master of every
    // slot range when it knows how to combine the answers. So one WAIT reaches every master a
    // write went to (the fewest replicas any master reached is the answer), and a SCRIPT LOAD
    // loads the script on every master (each answers its digest).
    RedisClusterClient.addReducer(Command.SCRIPT, answers -> answers.get(0));
    RedisClusterClient.addReducer(
        Command.WAIT,
        answers -> {
          long fewest = Long.MAX_VALUE;
          for (Response answer : answers) {
            fewest = Math.min(fewest, answer.toLong());
          }
          return NumberType.create(fewest == Long.MAX_VALUE ? 0 : fewest);
        });
  }

  private final Vertx vertx;
  private final List<String> seeds;
  private final boolean cluster;
  private final Redis client;
  private final Map<Integer, Redis> seedClients = new ConcurrentHashMap<>();

  /**
   * How many replicas a write must reach before it counts as done: one while every master has a
   * replica (so the replica promoted when its master dies holds every write that was settled), none
   * otherwise (a WAIT for a replica that does not exist would only time out). Learnt from CLUSTER
   * SLOTS at each health probe; always none for a single Redis.
   */
  private volatile int replicasToWait;

  /**
   * {@code seeds}: the URLs {@code FRESHET_REDIS_URL} lists (one for a single server); a cluster
   * client learns the other nodes from them.
   */
  public RedisNodes(Vertx vertx, List<String> seeds, boolean cluster, int poolSize) {
    this.vertx = vertx;
    this.seeds = List.copyOf(seeds);
    this.cluster = cluster;
    RedisOptions options =
        new RedisOptions()
            .setMaxPoolSize(poolSize)
            .setMaxPoolWaiting(4096)
            .setMaxWaitingHandlers(65536);
    if (cluster) {
      options
          .setType(RedisClientType.CLUSTER)
          .setEndpoints(new ArrayList<>(this.seeds))
          .setUseReplicas(RedisReplicas.NEVER);
    } else {
      options.setConnectionString(this.seeds.get(0));
    }
    this.client = Redis.createClient(vertx, options);
  }

  /** The client every command goes through (routed to the right node in a cluster). */
  public Redis client() {
    return client;
  }

  boolean isCluster() {
    return cluster;
  }

  /**
   * At start, for a cluster: every listed node and every node the cluster names answers PING within
   * {@code timeoutMs}; otherwise fails naming the first that did not (without its password). A
   * single server is not checked: Freshet starts with it down and serves from Postgres until it
   * answers.
   */
  public Future<Void> checkReachable(long timeoutMs) {
    if (!cluster) {
      return Future.succeededFuture();
    }
    return pingEach(seeds, 0, timeoutMs)
        .compose(listed -> clusterSlots(timeoutMs))
        .compose(slots -> pingEach(endpoints(slots, false), 0, timeoutMs))
        .compose(all -> onNode(seeds.get(0), timeoutMs, c -> bounded(clusterState(c), timeoutMs)))
        .compose(
            state ->
                state.equals("ok")
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new IllegalStateException(
                            "Redis Cluster at "
                                + shown(seeds.get(0))
                                + " says cluster_state:"
                                + state
                                + " (slots without a master?)")));
  }

  private Future<Void> pingEach(List<String> nodes, int at, long timeoutMs) {
    if (at == nodes.size()) {
      return Future.succeededFuture();
    }
    String node = nodes.get(at);
    return onNode(node, timeoutMs, c -> bounded(c.send(Request.cmd(Command.PING)), timeoutMs))
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "Redis Cluster node "
                            + shown(node)
                            + " is unreachable: "
                            + e.getMessage())))
        .compose(pong -> pingEach(nodes, at + 1, timeoutMs));
  }

  /** Every master's URL, as the cluster says now; the one server otherwise. */
  Future<List<String>> masters(long timeoutMs) {
    if (!cluster) {
      return Future.succeededFuture(seeds);
    }
    return clusterSlots(timeoutMs).map(slots -> endpoints(slots, true));
  }

  /** CLUSTER SLOTS from the first listed node that answers. */
  private Future<Response> clusterSlots(long timeoutMs) {
    return clusterSlotsFrom(0, timeoutMs, null);
  }

  private Future<Response> clusterSlotsFrom(int at, long timeoutMs, Throwable last) {
    if (at >= seeds.size()) {
      return Future.failedFuture(last);
    }
    return onNode(
            seeds.get(at),
            timeoutMs,
            c -> bounded(c.send(Request.cmd(Command.CLUSTER).arg("SLOTS")), timeoutMs))
        .recover(e -> clusterSlotsFrom(at + 1, timeoutMs, e));
  }

  /** A node that accepted the connection but does not answer (paused, overloaded) fails too. */
  private static <T> Future<T> bounded(Future<T> answer, long timeoutMs) {
    return answer.timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static Future<String> clusterState(RedisConnection connection) {
    return connection
        .send(Request.cmd(Command.CLUSTER).arg("INFO"))
        .map(
            info -> {
              for (String line : info.toString().split("\r?\n")) {
                if (line.startsWith("cluster_state:")) {
                  return line.substring("cluster_state:".length()).strip();
                }
              }
              return "unknown";
            });
  }

  int replicasToWait() {
    return replicasToWait;
  }

  /** Takes in a CLUSTER SLOTS answer: the fewest replicas any master has, at most one. */
  void learnReplicas(Response slots) {
    int fewest = Integer.MAX_VALUE;
    for (Response range : slots) {
      fewest = Math.min(fewest, range.size() - 3);
    }
    replicasToWait = fewest == Integer.MAX_VALUE ? 0 : Math.min(1, fewest);
  }

  /** The nodes in a CLUSTER SLOTS answer, masters only or with their replicas. */
  private List<String> endpoints(Response slots, boolean mastersOnly) {
    RedisURI seed = new RedisURI(seeds.get(0));
    Set<String> found = new LinkedHashSet<>();
    for (Response range : slots) {
      int last = mastersOnly ? Math.min(range.size(), 3) : range.size();
      for (int i = 2; i < last; i++) {
        Response node = range.get(i);
        String host = node.get(0) == null ? "" : node.get(0).toString();
        if (host.isEmpty()) {
          host = seed.socketAddress().host();
        }
        found.add(new RedisURI(seed, host, node.get(1).toInteger()).baseUri());
      }
    }
    return new ArrayList<>(found);
  }

  /**
   * Runs {@code work} on a connection of its own to one node, closed afterwards (with its client,
   * which closes the connection too if the work never ends); connecting may take {@code timeoutMs}
   * at most, the work as long as it bounds itself.
   */
  <T> Future<T> onNode(String url, long timeoutMs, Function<RedisConnection, Future<T>> work) {
    Redis node = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
    return node.connect()
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .compose(connection -> work.apply(connection).eventually(connection::close))
        .eventually(node::close);
  }

  /** How many nodes {@code FRESHET_REDIS_URL} lists. */
  int seedCount() {
    return seeds.size();
  }

  /**
   * A client of the {@code i}th listed node alone: for a cluster, what the change feed publishes
   * and subscribes through (a message published on any node reaches every other, and the cluster
   * client's connections are not made to hold a subscription); for one server, its client.
   */
  Redis seedClient(int i) {
    if (!cluster) {
      return client;
    }
    return seedClients.computeIfAbsent(
        i, at -> Redis.createClient(vertx, new RedisOptions().setConnectionString(seeds.get(at))));
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    seedClients.values().forEach(c -> closing.add(c.close()));
    closing.add(client.close());
    return Future.join(closing).mapEmpty();
  }

  /** The URL without its user and password, as logs and errors show it. */
  static String shown(String url) {
    RedisURI uri = new RedisURI(url);
    return uri.socketAddress().host() + ":" + uri.socketAddress().port();
  }
}
