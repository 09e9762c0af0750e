package io.freshet.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Redis of the test's own, paused under a monitored service: reads go on unaffected, counting
 * pauses, and once Redis is back the drift answer says its window is incomplete.
 */
@ExtendWith(VertxExtension.class)
class DriftCountsOutageTest {

  private RedisProcess redis;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    redis = new RedisProcess();
    f = FreshetFixture.start(vertx, o -> o.redisUrl(redis.url()));
  }

  @AfterEach
  void stop() throws Exception {
    redis.closeAfter(f);
  }

  private Api.Response read() {
    return f.online(
        new JsonObject()
            .put("feature_service", "watched_v1")
            .put("entities", new JsonObject().put("user_id", new JsonArray().add(1).add(2))));
  }

  @Test
  void redisPaused_readsServed_countsPaused_windowIncomplete() {
    f.ingest(
        "profile",
        FreshetFixture.profile(1, FreshetFixture.at(Duration.ofSeconds(30)), 30),
        FreshetFixture.profile(2, FreshetFixture.at(Duration.ofSeconds(30)), 50));
    JsonArray rows =
        new JsonArray()
            .add(new JsonObject().put("user_id", 1).put("timestamp", FreshetFixture.T0.toString()))
            .add(new JsonObject().put("user_id", 2).put("timestamp", FreshetFixture.T0.toString()));
    String snapshot =
        f.api
            .post(
                "/v1/features/historical",
                new JsonObject().put("feature_service", "watched_v1").put("rows", rows))
            .snapshotId();
    assertEquals(
        200,
        f.api
            .send(
                HttpMethod.PUT,
                "/v1/monitoring/watched_v1/baseline",
                "application/json",
                new JsonObject().put("snapshot_id", snapshot).toBuffer(),
                Map.of())
            .status());

    assertEquals(200, read().status());
    f.freshet.monitor().flush().await();

    redis.pause();
    try {
      assertEquals(200, read().status(), "reads are served from the hot tier meanwhile");
      // The read's rows are counted just after its answer: until then a flush has nothing to
      // send and succeeds without Redis.
      assertTrue(
          f.eventually(Duration.ofSeconds(10), this::flushFails),
          "a flush to a paused Redis fails");
    } finally {
      redis.resume();
    }

    JsonObject drift = f.api.get("/v1/monitoring/watched_v1/drift").json();
    // The flush that timed out may still land once Redis resumes: a pause, unlike a restart,
    // keeps what was sent. Either way the window no longer says it is whole.
    assertTrue(drift.getLong("samples") >= 2, drift::encode);
    assertFalse(drift.getBoolean("window_complete"), drift::encode);
    assertEquals("INSUFFICIENT_DATA", drift.getString("status"));
  }

  private boolean flushFails() {
    try {
      f.freshet.monitor().flush().await();
      return false;
    } catch (Exception timedOut) {
      // Future.await rethrows the failure as it is, here a (checked) timeout.
      return true;
    }
  }
}
