package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;

/**
 * Committed writes announced to every instance over Redis publish/subscribe, so each keeps its hot
 * tier coherent. A subscriber also hears its own heartbeats; when they stop arriving, or the
 * connection drops, it reports the subscription lost until it has subscribed again.
 */
public interface ChangeFeed {

  /** What an instance does with the feed. Called on an event loop. */
  interface Listener {

    /**
     * Records another instance committed, which of them Redis held after the writer offered them
     * (by position), and the wall-clock micros at which it published.
     */
    void changed(
        List<TierKey> keys, List<FeatureRecord> records, BitSet heldByRedis, long publishedMicros);

    void subscribed();

    void lost();
  }

  static ChangeFeed create(
      Vertx vertx, RedisNodes redis, String keyPrefix, int database, Duration heartbeat) {
    return new RedisChangeFeed(vertx, redis, channel(keyPrefix, database), heartbeat);
  }

  /**
   * The pub/sub channel of a deployment: its key prefix and its Redis database. Pub/sub ignores the
   * database a connection selected, so two deployments on one Redis with the same prefix (the
   * default one) and different databases would otherwise hear each other's writes.
   */
  static String channel(String keyPrefix, int database) {
    return keyPrefix + "changes:" + database;
  }

  /**
   * The client name an instance's subscriber connection carries in Redis's CLIENT LIST: its
   * channel, with what a client name may not hold (spaces, control characters) replaced.
   */
  static String subscriberName(String channel) {
    return channel.replaceAll("[^!-~]", "_");
  }

  /**
   * Starts subscribing, and keeps re-subscribing after every loss, until {@link #close()}. The
   * future completes after the first attempt, subscribed or not.
   */
  Future<Void> start(Listener listener);

  /** Announces a committed batch's records; fails when Redis cannot take the message. */
  /** {@code heldByRedis}: the batch's records Redis held after this instance offered them. */
  Future<Void> publish(RecordBatch batch, BitSet heldByRedis);

  /**
   * Announces a committed batch of an event view without its values: the other instances drop those
   * entities' hot windows and move the view's watermark, and neither reads them. A thousand-event
   * batch is then a fifth of the message, for Redis to carry and every instance to read.
   */
  Future<Void> announceEvents(RecordBatch batch);

  boolean isSubscribed();

  void close();
}
