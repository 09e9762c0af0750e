package io.freshet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MainProcess;
import io.freshet.testing.PgCluster;
import io.freshet.testing.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis and Postgres passwords given in their URLs: the real process authenticates with them, and
 * neither ever appears in what it prints, in its answers, /health or /metrics, through outages,
 * failed starts and malformed URLs.
 */
class CredentialsTest {

  // '@' must be percent-encoded in a URL: the decoding is part of what is tested.
  private static final String PG_PASSWORD = "pg-Secret-7f3a@q";
  private static final String REDIS_PASSWORD = "redis-Secret-91c2@q";
  private static final List<String> SECRETS =
      List.of(PG_PASSWORD, REDIS_PASSWORD, encoded(PG_PASSWORD), encoded(REDIS_PASSWORD));

  private final StringBuilder seen = new StringBuilder();
  private final HttpClient http = HttpClient.newHttpClient();

  private static String encoded(String password) {
    return URLEncoder.encode(password, StandardCharsets.UTF_8);
  }

  private static String pgUrl(int port, String password) {
    return "postgresql://postgres:" + encoded(password) + "@127.0.0.1:" + port + "/postgres";
  }

  private static String redisUrl(int port, String password) {
    return "redis://default:" + encoded(password) + "@127.0.0.1:" + port + "/0";
  }

  private static Map<String, String> env(String pgUrl, String redisUrl, int httpPort) {
    String id = "test_cred_" + Long.toHexString(System.nanoTime());
    Map<String, String> env = new HashMap<>();
    env.put("FRESHET_PG_URL", pgUrl);
    env.put("FRESHET_REDIS_URL", redisUrl);
    env.put("FRESHET_HTTP_PORT", Integer.toString(httpPort));
    env.put("FRESHET_SCHEMAS_DIR", FreshetFixture.TEST_SCHEMAS.toString());
    env.put("FRESHET_PG_SCHEMA", id);
    env.put("FRESHET_REDIS_KEY_PREFIX", id + ":");
    env.put("FRESHET_HEALTH_INTERVAL_MS", "50");
    return env;
  }

  @Test
  @Timeout(150)
  void passwordsInUrls_authenticate_andNeverAppearInLogsAnswersHealthOrMetrics() {
    assumeTrue(PgCluster.available(), "pg_createcluster (postgresql-common) is not installed");
    try (PgCluster cluster = new PgCluster(PG_PASSWORD);
        RedisProcess redis = new RedisProcess("--requirepass", REDIS_PASSWORD)) {
      runThroughOutages(cluster, redis);
      failedStarts(cluster, redis);
    }
  }

  /** Authenticates to both, then loses each and gets it back, saying so at every step. */
  private void runThroughOutages(PgCluster cluster, RedisProcess redis) {
    int port = FreshetFixture.freePort();
    Map<String, String> env =
        env(pgUrl(cluster.port(), PG_PASSWORD), redisUrl(redis.port(), REDIS_PASSWORD), port);
    try (MainProcess main = MainProcess.start(env)) {
      try {
        assertTrue(main.awaitOutput("freshet listening on", Duration.ofSeconds(60)), main.output());
        awaitHealth(port, h -> h.getString("status").equals("UP"));
        assertEquals(200, ingest(port, 1));

        redis.kill();
        awaitHealth(port, h -> h.getJsonObject("tiers").getString("warm").equals("DOWN"));
        assertEquals(200, ingest(port, 2));
        cluster.killPostmaster();
        awaitHealth(port, h -> h.getJsonObject("tiers").getString("cold").equals("DOWN"));
        assertEquals(503, ingest(port, 3));
        assertEquals(
            503,
            status(
                post(
                    port,
                    "/v1/features/online",
                    "{\"features\": [\"profile:age\"], \"entities\": {\"user_id\": [99]}}")));
        get(port, "/metrics");

        redis.start();
        cluster.start();
        awaitHealth(port, h -> h.getString("status").equals("UP"));
        assertEquals(200, ingest(port, 4));
        get(port, "/metrics");
      } finally {
        main.close();
        seen.append(main.output());
      }
      assertTrue(main.output().contains("cold tier (Postgres) is down"), main.output());
      assertTrue(main.output().contains("warm tier (Redis) is down"), main.output());
      assertNoSecret();
    }
  }

  /**
   * Starts that fail (wrong password, nobody listening, malformed URLs holding a password), all at
   * once since each is a JVM start; and one with a wrong Redis password, which is not fatal (Redis
   * is not the record of truth) but logged.
   */
  private void failedStarts(PgCluster cluster, RedisProcess redis) {
    String goodPg = pgUrl(cluster.port(), PG_PASSWORD);
    String goodRedis = redisUrl(redis.port(), REDIS_PASSWORD);
    List<String[]> cases =
        List.of(
            new String[] {pgUrl(cluster.port(), "wrong-" + PG_PASSWORD), goodRedis, "1"},
            new String[] {pgUrl(FreshetFixture.freePort(), PG_PASSWORD), goodRedis, "1"},
            new String[] {goodPg.replace(":" + cluster.port(), ":port"), goodRedis, "2"},
            new String[] {goodPg, goodRedis.replace(":" + redis.port(), ":port"), "2"});
    List<MainProcess> mains = new java.util.ArrayList<>();
    for (String[] c : cases) {
      mains.add(MainProcess.start(env(c[0], c[1], FreshetFixture.freePort())));
    }
    int port = FreshetFixture.freePort();
    MainProcess wrongRedis =
        MainProcess.start(env(goodPg, redisUrl(redis.port(), "wrong-" + REDIS_PASSWORD), port));
    try {
      for (int i = 0; i < cases.size(); i++) {
        int code = mains.get(i).awaitExit(Duration.ofSeconds(60));
        assertEquals(Integer.parseInt(cases.get(i)[2]), code, mains.get(i).output());
      }
      assertTrue(
          wrongRedis.awaitOutput("freshet listening on", Duration.ofSeconds(60)),
          wrongRedis.output());
      awaitHealth(port, h -> h.getJsonObject("tiers").getString("warm").equals("DOWN"));
    } finally {
      mains.add(wrongRedis);
      for (MainProcess main : mains) {
        main.close();
        seen.append(main.output());
      }
    }
    assertTrue(wrongRedis.output().contains("warm tier (Redis) is down"), wrongRedis.output());
    assertNoSecret();
  }

  private void assertNoSecret() {
    String all = seen.toString();
    for (String secret : SECRETS) {
      assertTrue(!all.contains(secret), "'" + secret + "' appeared in:\n" + all);
    }
  }

  private int ingest(int port, long user) {
    return status(
        post(
            port,
            "/v1/ingest/profile",
            "{\"rows\": [{\"user_id\": "
                + user
                + ", \"event_timestamp\": \"2026-01-01T00:00:00Z\","
                + " \"age\": 1, \"plan\": \"pro\"}]}"));
  }

  private void awaitHealth(int port, Predicate<JsonObject> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonObject health = null;
    while (System.nanoTime() < deadline) {
      health = new JsonObject(get(port, "/health").body());
      if (condition.test(health)) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
    throw new AssertionError("health never matched; last " + health);
  }

  private static int status(HttpResponse<String> response) {
    return response.statusCode();
  }

  private HttpResponse<String> get(int port, String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
  }

  private HttpResponse<String> post(int port, String path, String json) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Every answer joins what is searched for the passwords. */
  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      seen.append(response.headers().map()).append(response.body()).append('\n');
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
