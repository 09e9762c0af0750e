package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Messages are {@code [instance, publishedMicros, [[view, key, record], ...]]} with records in the
 * warm tier's text form; a heartbeat is a message with no records. Publishing and the liveness
 * check use the wall clock: they measure delivery, not feature time.
 */
final class RedisChangeFeed implements ChangeFeed {

  private static final System.Logger LOG = System.getLogger(RedisChangeFeed.class.getName());
  private static final int MISSED_HEARTBEATS = 3;
  private static final long RETRY_MS = 200;

  private final Vertx vertx;
  private final Redis redis;
  private final String channel;
  private final long heartbeatMs;
  private final String instance = UUID.randomUUID().toString();
  private final Clock wallClock = Clock.systemUTC();
  private final PipelinedRedis publisher;
  private Listener listener;
  private RedisConnection subscription;
  private volatile boolean subscribed;
  private volatile long lastHeardMs;
  private volatile boolean closed;
  private long heartbeatTimer = -1;

  RedisChangeFeed(Vertx vertx, Redis redis, String keyPrefix, Duration heartbeat) {
    this.vertx = vertx;
    this.redis = redis;
    this.channel = keyPrefix + "changes";
    this.heartbeatMs = heartbeat.toMillis();
    this.publisher = new PipelinedRedis(redis, heartbeatMs);
  }

  @Override
  public Future<Void> start(Listener listener) {
    this.listener = listener;
    heartbeatTimer = vertx.setPeriodic(heartbeatMs, id -> beat());
    return subscribe().<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  private Future<Response> subscribe() {
    if (closed) {
      return Future.failedFuture("closed");
    }
    return redis
        .connect()
        .compose(
            connection -> {
              subscription = connection;
              connection.handler(this::onMessage);
              connection.exceptionHandler(e -> lose(connection, e.getMessage()));
              connection.endHandler(v -> lose(connection, "connection closed"));
              // Named, so an operator (or a test) can find this instance's subscriber in CLIENT
              // LIST and cut it alone, not every subscriber on a shared Redis.
              return connection
                  .send(
                      Request.cmd(Command.CLIENT)
                          .arg("SETNAME")
                          .arg(ChangeFeed.subscriberName(channel)))
                  .compose(named -> connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel)));
            })
        .timeout(heartbeatMs * MISSED_HEARTBEATS, TimeUnit.MILLISECONDS)
        .onSuccess(
            ack -> {
              lastHeardMs = wallClock.millis();
              subscribed = true;
              listener.subscribed();
            })
        .onFailure(e -> lose(subscription, e.getMessage()));
  }

  private void onMessage(Response message) {
    if (message.size() < 3 || !"message".equals(message.get(0).toString())) {
      return;
    }
    lastHeardMs = wallClock.millis();
    JsonArray body = new JsonArray(message.get(2).toString());
    if (body.getString(0).equals(instance)) {
      return;
    }
    JsonArray changes = body.getJsonArray(2);
    if (changes.isEmpty()) {
      return;
    }
    List<TierKey> keys = new ArrayList<>(changes.size());
    List<FeatureRecord> records = new ArrayList<>(changes.size());
    for (int i = 0; i < changes.size(); i++) {
      JsonArray change = changes.getJsonArray(i);
      keys.add(new TierKey(change.getString(0), change.getString(1)));
      records.add(RecordCodec.decode(change.getString(2)));
    }
    listener.changed(keys, records, body.getLong(1));
  }

  /** Publishes a heartbeat and drops a subscription that stopped hearing them. */
  private void beat() {
    if (subscribed && wallClock.millis() - lastHeardMs > heartbeatMs * MISSED_HEARTBEATS) {
      lose(subscription, "no message for " + MISSED_HEARTBEATS + " heartbeats");
      return;
    }
    publishChanges(new JsonArray());
  }

  private synchronized void lose(RedisConnection connection, String reason) {
    if (connection != null && connection != subscription) {
      return;
    }
    if (subscribed) {
      LOG.log(System.Logger.Level.WARNING, "change feed subscription lost: " + reason);
    }
    subscribed = false;
    subscription = null;
    if (connection != null) {
      connection.close();
    }
    listener.lost();
    if (!closed) {
      vertx.setTimer(RETRY_MS, id -> subscribe());
    }
  }

  @Override
  public Future<Void> publish(List<TierKey> keys, List<FeatureRecord> records) {
    JsonArray changes = new JsonArray();
    for (int i = 0; i < keys.size(); i++) {
      TierKey key = keys.get(i);
      changes.add(
          new JsonArray()
              .add(key.view())
              .add(key.entityKey())
              .add(RecordCodec.encode(records.get(i))));
    }
    return publishChanges(changes);
  }

  private Future<Void> publishChanges(JsonArray changes) {
    String message =
        new JsonArray()
            .add(instance)
            .add(Timestamps.toMicros(wallClock.instant()))
            .add(changes)
            .encode();
    return publisher.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).mapEmpty();
  }

  @Override
  public boolean isSubscribed() {
    return subscribed;
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(heartbeatTimer);
    RedisConnection connection = subscription;
    subscribed = false;
    if (connection != null) {
      connection.close();
    }
  }
}
