package io.freshet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MainProcess;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The process as an operator sees it: exit codes, versions across restarts, tokens, metrics. */
@ExtendWith(VertxExtension.class)
class StartupTest {

  private record Exit(int code, String output) {}

  /** Main in a JVM of its own, on this test run's classpath, with its output merged. */
  private static Process startMain(Map<String, String> env) throws IOException {
    return MainProcess.command(env).start();
  }

  private static Exit runMain(Map<String, String> env) throws IOException, InterruptedException {
    Process process = startMain(env);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Main did not exit");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Exit(process.exitValue(), output);
  }

  @Test
  void main_badSchemaSet_exitsNonZeroNamingFileAndLine(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("bad.yaml"),
        "entities:\n  - name: user\n    join_key: user_id\n    type: int64\n"
            + "feature_views:\n  - name: v\n    entity: user\n    ttl: 1h\n"
            + "    freshness:\n      fresh: 10m\n      stale: 5m\n"
            + "    features:\n      - name: f\n        type: decimal\n");
    Exit exit = runMain(Map.of("FRESHET_SCHEMAS_DIR", dir.toString(), "FRESHET_HTTP_PORT", "0"));
    assertEquals(1, exit.code(), exit.output());
    assertTrue(exit.output().contains("bad.yaml:10"), exit.output());
    assertTrue(exit.output().contains("bad.yaml:14"), exit.output());
  }

  @Test
  void main_sigterm_everyAcknowledgedWriteIsDurableAndTheProcessExits(Vertx vertx)
      throws Exception {
    String schema = "test_shutdown_" + Long.toHexString(System.nanoTime());
    int port = FreshetFixture.freePort();
    Process process =
        startMain(
            Map.of(
                "FRESHET_SCHEMAS_DIR",
                FreshetFixture.TEST_SCHEMAS.toString(),
                "FRESHET_HTTP_PORT",
                Integer.toString(port),
                "FRESHET_PG_SCHEMA",
                schema,
                "FRESHET_REDIS_KEY_PREFIX",
                schema + ":"));
    java.io.BufferedReader log =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = log.readLine();
        !line.contains("freshet listening on");
        line = log.readLine()) {
      assertTrue(line != null, "Main exited before listening");
    }
    Thread drain = new Thread(() -> log.lines().forEach(l -> {}));
    drain.start();

    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.List<Long> acknowledged = new java.util.ArrayList<>();
    for (long user = 1; ; user++) {
      if (user == 30) {
        process.destroy();
      }
      String row =
          "{\"rows\":[{\"user_id\":"
              + user
              + ",\"event_timestamp\":\"2026-01-01T00:00:00Z\","
              + "\"age\":1,\"plan\":\"pro\"}]}";
      try {
        java.net.http.HttpResponse<String> response =
            http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/v1/ingest/profile"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(row))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          acknowledged.add(user);
        }
      } catch (IOException refused) {
        break;
      }
    }
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "Main did not stop within 30 s of SIGTERM");
    assertTrue(acknowledged.size() >= 29, "writes before SIGTERM were acknowledged");

    io.vertx.sqlclient.Pool pool =
        io.vertx.pgclient.PgBuilder.pool()
            .connectingTo(
                io.vertx.pgclient.PgConnectOptions.fromUri(
                    io.freshet.config.FreshetOptions.fromEnv(System.getenv()).pgUrl()))
            .using(vertx)
            .build();
    try {
      java.util.Set<Long> durable = new java.util.HashSet<>();
      pool.query("SELECT entity_key FROM " + schema + ".feature_history")
          .execute()
          .await()
          .forEach(row -> durable.add(Long.parseLong(row.getString(0))));
      // Every acknowledged write is there; a write whose answer was cut by the shutdown may be
      // there too (committed, never acknowledged), but nothing that was never sent.
      assertTrue(durable.containsAll(acknowledged), durable + " lacks some of " + acknowledged);
      assertTrue(durable.size() <= acknowledged.size() + 1, durable.toString());
    } finally {
      pool.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute().await();
      pool.close().await();
      io.vertx.redis.client.Redis redis =
          io.vertx.redis.client.Redis.createClient(vertx, FreshetFixture.TEST_REDIS_URL);
      io.vertx.redis.client.Response keys =
          redis
              .send(
                  io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.KEYS)
                      .arg(schema + ":*"))
              .await();
      for (io.vertx.redis.client.Response key : keys) {
        redis
            .send(
                io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL)
                    .arg(key.toString()))
            .await();
      }
      redis.close().await();
    }
  }

  @Test
  void main_nonLoopbackBindWithoutWriteToken_refusedAtStart() throws Exception {
    Exit exit = runMain(Map.of("FRESHET_HTTP_HOST", "0.0.0.0"));
    assertEquals(2, exit.code(), exit.output());
    assertTrue(exit.output().contains("FRESHET_WRITE_TOKEN"), exit.output());
  }

  @Test
  void main_redisClusterNodeThatDoesNotAnswer_exitsOneNamingIt_andAPrefixWithABraceExitsTwo()
      throws Exception {
    int dead = FreshetFixture.freePort();
    Exit exit =
        runMain(
            Map.of(
                "FRESHET_REDIS_URL",
                "redis://:secret@127.0.0.1:" + dead + ",redis://:secret@127.0.0.1:" + dead,
                "FRESHET_HTTP_PORT",
                "0"));
    assertEquals(1, exit.code(), exit.output());
    assertTrue(
        exit.output()
            .contains(
                "freshet: cannot start: Redis Cluster node 127.0.0.1:" + dead + " is unreachable"),
        exit.output());
    assertTrue(!exit.output().contains("secret"), "the password is not shown: " + exit.output());

    Exit brace = runMain(Map.of("FRESHET_REDIS_KEY_PREFIX", "team{a}:"));
    assertEquals(2, brace.code(), brace.output());
    assertTrue(
        brace.output().contains("FRESHET_REDIS_KEY_PREFIX may not contain '{'"), brace.output());
  }

  @Test
  void main_malformedNumberSetting_refusedAtStart() throws Exception {
    Exit exit = runMain(Map.of("FRESHET_HOT_MAX_ENTRIES", "lots"));
    assertEquals(2, exit.code(), exit.output());
    assertTrue(exit.output().contains("FRESHET_HOT_MAX_ENTRIES"), exit.output());
  }

  @Test
  void registry_changedDefinitionAfterRestart_getsNextVersionOthersKeepTheirs(
      Vertx vertx, @TempDir Path dir) throws Exception {
    Path schema = dir.resolve("s.yaml");
    String v1 = Files.readString(FreshetFixture.TEST_SCHEMAS.resolve("test.yaml"));
    Files.writeString(schema, v1);
    FreshetFixture first = FreshetFixture.start(vertx, o -> o.schemasDir(dir));
    first.stop();
    Files.writeString(schema, v1.replace("expression: age * 12", "expression: age * 12 + 0"));
    FreshetFixture second = FreshetFixture.startWith(vertx, first.options, first.clock);
    try {
      JsonObject registry = second.api.get("/v1/registry").json();
      assertEquals(2, versionOf(registry, "transformations", "age_months"));
      assertEquals(1, versionOf(registry, "transformations", "risk_per_year"));
      assertEquals(1, versionOf(registry, "feature_views", "profile"));
    } finally {
      second.close();
    }
  }

  private static int versionOf(JsonObject registry, String section, String name) {
    return registry.getJsonArray(section).stream()
        .map(JsonObject.class::cast)
        .filter(o -> o.getString("name").equals(name))
        .findFirst()
        .orElseThrow()
        .getInteger("version");
  }

  @Test
  void tokens_guardRoutesBeforeAnythingElse_healthAndMetricsOpen(Vertx vertx) {
    try (FreshetFixture f =
        FreshetFixture.start(vertx, o -> o.writeToken("w-secret").readToken("r-secret"))) {
      Api api = f.api;
      JsonObject row =
          new JsonObject().put("rows", new JsonArray().add(new JsonObject().put("user_id", 1)));
      assertEquals(401, api.post("/v1/ingest/profile", row).status());
      assertEquals(401, api.post("/v1/ingest/unknown_view", row).status());
      assertEquals("unauthorized", api.post("/v1/ingest/profile", row).error());
      assertEquals(
          401,
          api.send(
                  HttpMethod.POST,
                  "/v1/ingest/profile",
                  "application/json",
                  row.toBuffer(),
                  Map.of("Authorization", "Bearer r-secret"))
              .status());
      assertEquals(
          400,
          api.send(
                  HttpMethod.POST,
                  "/v1/ingest/profile",
                  "application/json",
                  row.toBuffer(),
                  Map.of("Authorization", "Bearer w-secret"))
              .status());
      JsonObject fit = new JsonObject().put("snapshot_id", "00000000-0000-0000-0000-000000000000");
      for (String path :
          List.of("/v1/transformations/score_z/fit", "/v1/feature_services/fitted_v1/fit")) {
        assertEquals(
            401,
            api.send(
                    HttpMethod.POST,
                    path,
                    "application/json",
                    fit.toBuffer(),
                    Map.of("Authorization", "Bearer r-secret"))
                .status(),
            path);
        assertEquals(
            404,
            api.send(
                    HttpMethod.POST,
                    path,
                    "application/json",
                    fit.toBuffer(),
                    Map.of("Authorization", "Bearer w-secret"))
                .status(),
            path);
      }
      // Setting a baseline is a write; reading one is not.
      String baseline = "/v1/monitoring/watched_v1/baseline";
      for (String token : List.of("r-secret", "w-secret")) {
        assertEquals(
            token.equals("r-secret") ? 401 : 404,
            api.send(
                    HttpMethod.PUT,
                    baseline,
                    "application/json",
                    fit.toBuffer(),
                    Map.of("Authorization", "Bearer " + token))
                .status(),
            token);
      }
      assertEquals(
          404,
          api.send(HttpMethod.GET, baseline, null, null, Map.of("Authorization", "Bearer r-secret"))
              .status());
      assertEquals(401, api.get("/v1/registry").status());
      assertEquals(401, api.get("/v1/unknown").status());
      assertEquals(
          200,
          api.send(
                  HttpMethod.GET,
                  "/v1/registry",
                  null,
                  null,
                  Map.of("Authorization", "Bearer r-secret"))
              .status());
      assertEquals(200, api.get("/health").status());
      assertEquals(200, api.get("/metrics").status());
    }
  }

  @Test
  void metrics_exposeRouteLatencyTierHitsAndIngestCounts(Vertx vertx) {
    try (FreshetFixture f = FreshetFixture.start(vertx)) {
      f.ingest(
          "profile",
          new JsonObject()
              .put("user_id", 1)
              .put("event_timestamp", FreshetFixture.T0.toString())
              .put("age", 3)
              .put("plan", "pro"));
      f.online(
          new JsonObject()
              .put("features", new JsonArray().add("profile:age"))
              .put("entities", new JsonObject().put("user_id", new JsonArray().add(1).add(2))));
      String metrics = f.api.get("/metrics").body().toString();
      assertTrue(metrics.contains("freshet_ingest_rows_total{view=\"profile\"} 1.0"), metrics);
      assertTrue(metrics.contains("freshet_tier_reads_total{result=\"hit\",tier=\"hot\"} 1.0"));
      assertTrue(metrics.contains("freshet_tier_reads_total{result=\"miss\",tier=\"cold\"} 1.0"));
      assertTrue(
          metrics.contains("freshet_feature_reads_total{status=\"FRESH\",view=\"profile\"} 1.0"));
      // A request is timed when its answer has been written, which can be after the client has
      // read it and asked for the metrics: that one line may take a moment to appear.
      String timed =
          "freshet_http_requests_seconds_bucket{method=\"POST\",route=\"/v1/features/online\","
              + "status=\"200\"";
      assertTrue(
          f.eventually(
              Duration.ofSeconds(10),
              () -> f.api.get("/metrics").body().toString().contains(timed)),
          metrics);
    }
  }
}
