package io.freshet.tier;

import io.freshet.model.TierUnavailableException;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-lived Redis connection per calling thread, with commands pipelined on it. The pooled
 * client's {@code send} holds a whole connection per command, which caps in-flight commands at the
 * pool size; a pipelined connection per event loop has no such cap and answers on the same thread
 * that asked. A connection that fails or times out is closed and replaced on next use.
 *
 * <p>Over a Redis Cluster the connection is the cluster client's, which holds one connection per
 * node and routes each command by its key. A batch must keep to one node there, so {@link #batch}
 * sends each command alone instead (still pipelined, answers in order), and {@link #write} then
 * waits for the masters' replicas.
 */
final class PipelinedRedis {

  private final Redis client;
  private final long timeoutMs;

  /** The cluster the client reaches, or null for a single Redis. */
  private final RedisNodes cluster;

  private final ThreadLocal<Future<RedisConnection>> connections = new ThreadLocal<>();

  /** Over one Redis server (or one node of a cluster, used alone). */
  PipelinedRedis(Redis client, long timeoutMs) {
    this(client, timeoutMs, null);
  }

  private PipelinedRedis(Redis client, long timeoutMs, RedisNodes cluster) {
    this.client = client;
    this.timeoutMs = timeoutMs;
    this.cluster = cluster;
  }

  /** Over the deployment's Redis, a single server or a cluster. */
  static PipelinedRedis over(RedisNodes nodes, long timeoutMs) {
    return new PipelinedRedis(nodes.client(), timeoutMs, nodes.isCluster() ? nodes : null);
  }

  Future<Response> send(Request request) {
    return connection().compose(c -> guard(c, c.send(request)));
  }

  /**
   * A read that fails after the timeout like {@link #send} but keeps the connection: its answer,
   * when it comes, is dropped in order, and the commands pipelined behind it are not failed with
   * it. One slow command then costs its own request a fallback, not every request on the
   * connection.
   */
  Future<Response> read(Request request) {
    return connection()
        .compose(
            c ->
                c.send(request)
                    .timeout(timeoutMs, TimeUnit.MILLISECONDS)
                    .onFailure(
                        e -> {
                          if (!(e instanceof TimeoutException)) {
                            discard(c);
                          }
                        }));
  }

  /**
   * The requests pipelined, their answers in order. In a cluster each goes alone to the master of
   * its key's slot (a multi-key command's keys must share a slot, or be ones the client splits
   * itself, as DEL's); a keyless SCRIPT LOAD goes to every master.
   */
  Future<List<Response>> batch(List<Request> requests) {
    if (cluster == null) {
      return connection().compose(c -> guard(c, c.batch(requests)));
    }
    List<Future<Response>> answers = new ArrayList<>(requests.size());
    requests.forEach(r -> answers.add(send(r)));
    return Future.all(answers).map(CompositeFuture::list);
  }

  /**
   * A {@link #batch} that changes keys. In a cluster it counts as done once every master's replica
   * has it too (one WAIT, which the client sends to every master), while every master has a
   * replica: a failover then cannot bring back what it replaced. It fails when a replica did not
   * confirm within half the timeout.
   */
  Future<List<Response>> write(List<Request> requests) {
    int replicas = cluster == null ? 0 : cluster.replicasToWait();
    if (replicas == 0) {
      return batch(requests);
    }
    return batch(requests)
        .compose(
            answers ->
                send(Request.cmd(Command.WAIT).arg(replicas).arg(timeoutMs / 2))
                    .compose(
                        copied ->
                            copied.toInteger() >= replicas
                                ? Future.succeededFuture(answers)
                                : Future.failedFuture(
                                    new TierUnavailableException(
                                        "a Redis master's replica did not confirm a write"))));
  }

  long timeoutMs() {
    return timeoutMs;
  }

  /**
   * A connection whose command failed is dropped, unless Redis answered with an error: the
   * connection is sound then (a NOSCRIPT, or a cluster's CLUSTERDOWN the client retried).
   */
  private <T> Future<T> guard(RedisConnection connection, Future<T> operation) {
    return operation
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .onFailure(
            e -> {
              if (!(e instanceof ErrorType)) {
                discard(connection);
              }
            });
  }

  private Future<RedisConnection> connection() {
    Future<RedisConnection> held = connections.get();
    if (held != null && !held.failed()) {
      return held;
    }
    Future<RedisConnection> connecting =
        client
            .connect()
            .timeout(timeoutMs, TimeUnit.MILLISECONDS)
            .onSuccess(
                c -> {
                  c.exceptionHandler(e -> discard(c));
                  c.endHandler(v -> discard(c));
                });
    connections.set(connecting);
    return connecting;
  }

  /**
   * Forgets and closes the connection if it is the one this thread holds; the next call on that
   * thread reconnects. Every command pipelined on a broken connection fails, so this runs many
   * times for one connection: only the first closes it, as closing again would return it to the
   * client's pool more often than it was taken.
   */
  private void discard(RedisConnection connection) {
    Future<RedisConnection> held = connections.get();
    if (held != null && held.result() == connection) {
      connections.remove();
      connection.close();
    }
  }
}
