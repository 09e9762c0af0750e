package io.freshet.tier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Messages are {@code [instance, publishedMicros, [[view, key, eventMicros, ingestedMicros, held,
 * {values}], ...]]}, the values as the JSON text the write stored, written into the message as it
 * is ({@code {}} for an event view's, which no instance reads); a heartbeat is a message with no
 * records. Publishing and the liveness check use the wall clock: they measure delivery, not feature
 * time.
 */
final class RedisChangeFeed implements ChangeFeed {

  private static final System.Logger LOG = System.getLogger(RedisChangeFeed.class.getName());
  private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MISSED_HEARTBEATS = 3;
  private static final long RETRY_MS = 200;

  private final Vertx vertx;
  private final RedisNodes redis;
  private final String channel;
  private final long heartbeatMs;
  private final String instance = UUID.randomUUID().toString();
  private final String ownMessages = "[\"" + instance + "\",";
  private final Clock wallClock = Clock.systemUTC();
  private final PipelinedRedis[] publishers;

  /** The listed node the feed publishes to, and the one it subscribes to next. */
  private final AtomicInteger publishingTo = new AtomicInteger();

  private final AtomicInteger nextSubscription = new AtomicInteger();
  private Listener listener;
  private RedisConnection subscription;
  private volatile boolean subscribed;
  private volatile long lastHeardMs;
  private volatile boolean closed;
  private long heartbeatTimer = -1;

  RedisChangeFeed(Vertx vertx, RedisNodes redis, String channel, Duration heartbeat) {
    this.vertx = vertx;
    this.redis = redis;
    this.channel = channel;
    this.heartbeatMs = heartbeat.toMillis();
    this.publishers = new PipelinedRedis[redis.seedCount()];
    for (int i = 0; i < publishers.length; i++) {
      publishers[i] = new PipelinedRedis(redis.seedClient(i), heartbeatMs);
    }
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
    // In a cluster, one listed node after another: one that died is passed by at the next try.
    return redis
        .seedClient(Math.floorMod(nextSubscription.getAndIncrement(), publishers.length))
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
    String text = message.get(2).toString();
    // This instance's own writes are in its tiers already: not worth decoding.
    if (text.startsWith(ownMessages)) {
      return;
    }
    List<TierKey> keys = new ArrayList<>();
    List<FeatureRecord> records = new ArrayList<>();
    BitSet held = new BitSet();
    long publishedMicros;
    try (JsonParser json = JSON.createParser(text)) {
      publishedMicros = read(text, json, keys, records, held);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "change feed message not understood: " + e);
      return;
    }
    if (!keys.isEmpty()) {
      listener.changed(keys, records, held, publishedMicros);
    }
  }

  /**
   * Reads a message token by token; each record's values are kept as the text they were sent as
   * (found by the parser's offsets), which is the form a record holds them in.
   */
  private static long read(
      String text, JsonParser json, List<TierKey> keys, List<FeatureRecord> records, BitSet held)
      throws IOException {
    expect(json, JsonToken.START_ARRAY);
    expect(json, JsonToken.VALUE_STRING);
    expect(json, JsonToken.VALUE_NUMBER_INT);
    long publishedMicros = json.getLongValue();
    expect(json, JsonToken.START_ARRAY);
    while (json.nextToken() == JsonToken.START_ARRAY) {
      String view = json.nextTextValue();
      String key = json.nextTextValue();
      expect(json, JsonToken.VALUE_NUMBER_INT);
      long event = json.getLongValue();
      expect(json, JsonToken.VALUE_NUMBER_INT);
      long ingested = json.getLongValue();
      expect(json, JsonToken.VALUE_NUMBER_INT);
      if (json.getIntValue() == 1) {
        held.set(keys.size());
      }
      expect(json, JsonToken.START_OBJECT);
      int start = (int) json.currentTokenLocation().getCharOffset();
      json.skipChildren();
      int end = (int) json.currentLocation().getCharOffset();
      expect(json, JsonToken.END_ARRAY);
      keys.add(new TierKey(view, key));
      records.add(FeatureRecord.ofJson(event, ingested, text.substring(start, end)));
    }
    return publishedMicros;
  }

  private static void expect(JsonParser json, JsonToken token) throws IOException {
    if (json.nextToken() != token) {
      throw new IOException("expected " + token + " at " + json.currentLocation());
    }
  }

  /** Publishes a heartbeat and drops a subscription that stopped hearing them. */
  private void beat() {
    if (subscribed && wallClock.millis() - lastHeardMs > heartbeatMs * MISSED_HEARTBEATS) {
      lose(subscription, "no message for " + MISSED_HEARTBEATS + " heartbeats");
      return;
    }
    publishChanges(0, null, null, false);
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
  public Future<Void> publish(RecordBatch batch, BitSet heldByRedis) {
    return publishChanges(batch.size(), batch, heldByRedis, true);
  }

  @Override
  public Future<Void> announceEvents(RecordBatch batch) {
    return publishChanges(batch.size(), batch, new BitSet(), false);
  }

  /**
   * Writes the message as text: the values go in as the JSON they already are, so a thousand-row
   * batch costs no encoding beyond escaping its entity keys. View names need no escaping.
   */
  private Future<Void> publishChanges(
      int size, RecordBatch batch, BitSet heldByRedis, boolean withValues) {
    StringBuilder message = new StringBuilder(64 + size * 96);
    message.append(ownMessages).append(Timestamps.toMicros(wallClock.instant())).append(",[");
    for (int i = 0; i < size; i++) {
      FeatureRecord record = batch.records().get(i);
      message.append(i == 0 ? "[\"" : ",[\"").append(batch.view()).append("\",\"");
      ESCAPE.quoteAsString(batch.entityKeys().get(i), message);
      message
          .append("\",")
          .append(record.eventMicros())
          .append(',')
          .append(record.ingestedMicros())
          .append(',')
          .append(heldByRedis.get(i) ? 1 : 0)
          .append(',')
          .append(withValues ? record.json() : "{}")
          .append(']');
    }
    message.append("]]");
    return publish(Request.cmd(Command.PUBLISH).arg(channel).arg(message.toString()), 1);
  }

  /**
   * Through the listed node last used; when it fails, through the next, until each was tried. In a
   * cluster a change must reach the other instances while one node is down: they may still be
   * subscribed on another, and would keep serving what the change replaced.
   */
  private Future<Void> publish(Request request, int attempt) {
    int node = publishingTo.get();
    return publishers[node]
        .send(request)
        .<Void>mapEmpty()
        .recover(
            e -> {
              if (attempt >= publishers.length) {
                return Future.failedFuture(e);
              }
              publishingTo.compareAndSet(node, (node + 1) % publishers.length);
              return publish(request, attempt + 1);
            });
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
