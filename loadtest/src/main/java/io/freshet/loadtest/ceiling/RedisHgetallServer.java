package io.freshet.loadtest.ceiling;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The upper bound for a warm-tier read: reads the request body, sends one {@code HGETALL} of a
 * fixed hash to Redis, and answers with the hash's fields as a JSON object.
 *
 * <p>Each instance keeps one connection on its own event loop and pipelines every request on it.
 * (The pooled {@code Redis.send} leases a connection per command, so a pool of N connections has at
 * most N commands in flight; on two cores that caps a server near 5k req/s.)
 *
 * <p>{@code java -cp freshet-ceilings.jar io.freshet.loadtest.ceiling.RedisHgetallServer
 * --port=18082 --redis=redis://127.0.0.1:6379/0 --key=bench:ceiling:customer} (or {@code
 * CEILING_PORT}, {@code CEILING_REDIS_URL}, {@code CEILING_REDIS_KEY}). The hash must exist.
 */
public final class RedisHgetallServer extends VerticleBase {

  private final String host;
  private final int port;
  private final RedisOptions redisOptions;
  private final String key;
  private Redis redis;
  private Future<RedisConnection> connection;

  RedisHgetallServer(String host, int port, RedisOptions redisOptions, String key) {
    this.host = host;
    this.port = port;
    this.redisOptions = redisOptions;
    this.key = key;
  }

  @Override
  public Future<?> start() {
    redis = Redis.createClient(vertx, redisOptions);
    return connection()
        .compose(
            c ->
                vertx
                    .createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                    .requestHandler(this::handle)
                    .listen());
  }

  /** This event loop's connection, opened again after it ends. */
  private Future<RedisConnection> connection() {
    if (connection == null) {
      connection =
          redis
              .connect()
              .onSuccess(c -> c.endHandler(v -> connection = null))
              .onFailure(e -> connection = null);
    }
    return connection;
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .compose(ignored -> connection())
        .compose(c -> c.send(Request.cmd(Command.HGETALL).arg(key)))
        .onComplete(
            (hash, failure) -> {
              if (failure != null) {
                request.response().setStatusCode(503).end();
              } else {
                request
                    .response()
                    .putHeader("content-type", "application/json")
                    .end(toJson(hash).toBuffer());
              }
            });
  }

  private static JsonObject toJson(Response hash) {
    JsonObject fields = new JsonObject();
    for (String field : hash.getKeys()) {
      fields.put(field, hash.get(field).toString());
    }
    return fields;
  }

  public static void main(String[] args) {
    String host = Ceilings.setting(args, "host", "CEILING_HOST", "127.0.0.1");
    int port = Integer.parseInt(Ceilings.setting(args, "port", "CEILING_PORT", "18082"));
    String url = Ceilings.setting(args, "redis", "CEILING_REDIS_URL", "redis://127.0.0.1:6379/0");
    String key = Ceilings.setting(args, "key", "CEILING_REDIS_KEY", "bench:ceiling:customer");
    int instances = Ceilings.instances(args);
    Vertx vertx = Ceilings.vertx(instances);
    RedisOptions options = new RedisOptions().setConnectionString(url).setMaxWaitingHandlers(65536);
    Redis check = Redis.createClient(vertx, options);
    check
        .send(Request.cmd(Command.EXISTS).arg(key))
        .eventually(check::close)
        .onFailure(e -> Ceilings.fail(vertx, "redis-hgetall cannot reach " + url + ": " + e))
        .onSuccess(
            exists -> {
              if (exists.toInteger() == 0) {
                Ceilings.fail(
                    vertx, "redis-hgetall: hash " + key + " does not exist; seed it first");
                return;
              }
              Ceilings.deploy(
                  vertx,
                  "redis-hgetall",
                  host,
                  port,
                  instances,
                  () -> new RedisHgetallServer(host, port, options, key));
            });
  }
}
