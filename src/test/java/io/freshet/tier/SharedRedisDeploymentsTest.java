package io.freshet.tier;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.config.FreshetOptions;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two deployments on one Redis, each in its own database, both with the default key prefix: Redis
 * pub/sub ignores the database, so each deployment's change feed must still be its own. A Redis of
 * the test's own, so the default prefix collides with nothing else.
 */
@ExtendWith(VertxExtension.class)
class SharedRedisDeploymentsTest {

  private final List<FreshetFixture> started = new ArrayList<>();
  private RedisProcess redis;
  private FreshetFixture peer;

  @AfterEach
  void stop() {
    try {
      if (peer != null) {
        peer.stop();
      }
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  private FreshetFixture deployment(Vertx vertx, int database) {
    FreshetFixture f =
        FreshetFixture.start(
            vertx,
            o ->
                o.redisUrl("redis://127.0.0.1:" + redis.port() + "/" + database)
                    .redisKeyPrefix(FreshetOptions.DEFAULT_REDIS_KEY_PREFIX));
    started.add(f);
    return f;
  }

  private static JsonObject profile(int user, int age, Duration beforeT0) {
    return new JsonObject()
        .put("user_id", user)
        .put("event_timestamp", at(beforeT0))
        .put("age", age)
        .put("plan", "pro");
  }

  private static Integer hotAge(FreshetFixture f, int user) {
    FeatureRecord record =
        f.freshet
            .tiers()
            .hot()
            .peek(List.of(new TierKey("profile", Integer.toString(user))))
            .get(0);
    return record == null ? null : new JsonObject(record.json()).getInteger("age");
  }

  @Test
  void twoDeploymentsOnOtherDatabases_defaultPrefix_neverHearEachOthersWrites(Vertx vertx) {
    redis = new RedisProcess();
    FreshetFixture a = deployment(vertx, 1);
    FreshetFixture b = deployment(vertx, 2);
    peer = b.startPeer();
    FreshetFixture bPeer = peer;
    assertTrue(
        a.eventually(
            Duration.ofSeconds(10),
            () ->
                a.freshet.tiers().hot().coherent()
                    && b.freshet.tiers().hot().coherent()
                    && bPeer.freshet.tiers().hot().coherent()),
        "every instance subscribed");

    b.ingest("profile", profile(1, 50, Duration.ofMinutes(20)));
    assertEquals(50, hotAge(b, 1));

    // A newer record of the same key in the other deployment: over a shared channel, B's hot tier
    // would take it (newest wins) and serve A's value.
    a.ingest("profile", profile(1, 31, Duration.ofMinutes(5)));
    // Then a write that B must hear, from its own peer: once it arrived, anything published
    // before it on a shared channel would have arrived too.
    bPeer.ingest("profile", profile(2, 70, Duration.ofMinutes(5)));
    assertTrue(
        b.eventually(Duration.ofSeconds(10), () -> Integer.valueOf(70).equals(hotAge(b, 2))),
        "B heard its own peer");

    assertEquals(50, hotAge(b, 1));
    assertEquals(31, hotAge(a, 1));
    assertEquals(null, hotAge(a, 2));
    assertEquals(List.of("freshet:changes:1", "freshet:changes:2"), channels(vertx, redis.url()));
  }

  private static List<String> channels(Vertx vertx, String url) {
    Redis client = Redis.createClient(vertx, url);
    try {
      Response reply =
          client.send(Request.cmd(Command.PUBSUB).arg("CHANNELS").arg("freshet:changes*")).await();
      List<String> names = new ArrayList<>();
      reply.forEach(r -> names.add(r.toString()));
      names.sort(null);
      return names;
    } finally {
      client.close().await();
    }
  }
}
