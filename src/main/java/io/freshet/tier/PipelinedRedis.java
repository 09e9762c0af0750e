package io.freshet.tier;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-lived Redis connection per calling thread, with commands pipelined on it. The pooled
 * client's {@code send} holds a whole connection per command, which caps in-flight commands at the
 * pool size; a pipelined connection per event loop has no such cap and answers on the same thread
 * that asked. A connection that fails or times out is closed and replaced on next use.
 */
final class PipelinedRedis {

  private final Redis client;
  private final long timeoutMs;
  private final ThreadLocal<Future<RedisConnection>> connections = new ThreadLocal<>();

  PipelinedRedis(Redis client, long timeoutMs) {
    this.client = client;
    this.timeoutMs = timeoutMs;
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

  Future<List<Response>> batch(List<Request> requests) {
    return connection().compose(c -> guard(c, c.batch(requests)));
  }

  private <T> Future<T> guard(RedisConnection connection, Future<T> operation) {
    return operation.timeout(timeoutMs, TimeUnit.MILLISECONDS).onFailure(e -> discard(connection));
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
