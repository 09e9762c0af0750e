package io.freshet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command line against a server that misbehaves as a real one can only now and then: answers
 * 503, drops the connection, ends a snapshot with an error line, cuts it, or has a manifest whose
 * digest is not the body's. A stand-in HTTP server plays it, so each case happens every time.
 */
class CliFaultsTest {

  private static final String ID = "0b6cc8c2-5c2e-4d3f-9a51-9c1b5e0d1a11";

  private HttpServer server;
  private Path dir;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.start();
    dir = Files.createTempDirectory("freshet-cli-faults");
  }

  @AfterEach
  void stop() throws IOException {
    server.stop(0);
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  private CliTest.Run cli(String... args) {
    return CliTest.run(
        Map.of("FRESHET_URL", "http://127.0.0.1:" + server.getAddress().getPort()), args);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void ingest_a503AndADroppedConnection_retriedUnderTheSameKey() throws IOException {
    List<String> keys = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger requests = new AtomicInteger();
    server.createContext(
        "/v1/ingest/profile",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
          switch (requests.incrementAndGet()) {
            case 1 ->
                answer(
                    exchange,
                    503,
                    "{\"error\":\"unavailable\",\"message\":\"down\",\"details\":[]}");
            case 2 -> throw new IOException("the connection drops before any answer");
            default ->
                answer(exchange, 200, "{\"accepted\":1,\"ingested_at\":\"2026-11-22T10:00:00Z\"}");
          }
        });
    Path rows = Files.writeString(dir.resolve("rows.ndjson"), "{\"user_id\": 1}\n");
    CliTest.Run run = cli("ingest", "profile", rows.toString());
    assertEquals(0, run.exit(), run.err());
    assertEquals(3, keys.size());
    assertTrue(keys.get(0).startsWith("freshet-ingest-"), keys.toString());
    assertEquals(1, keys.stream().distinct().count(), keys.toString());
  }

  /** A snapshot answered with {@code body}, whose manifest says {@code sha256} or is missing. */
  private void snapshot(String body, boolean cut, String manifestSha256) {
    server.createContext(
        "/v1/features/historical",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("X-Snapshot-Id", ID);
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write(body.getBytes(StandardCharsets.UTF_8));
          out.flush();
          if (cut) {
            throw new IOException("the connection drops mid-body");
          }
          exchange.close();
        });
    server.createContext(
        "/v1/snapshots/" + ID,
        exchange ->
            answer(
                exchange,
                manifestSha256 == null ? 404 : 200,
                manifestSha256 == null
                    ? "{\"error\":\"not_found\",\"message\":\"no snapshot\",\"details\":[]}"
                    : "{\"id\":\""
                        + ID
                        + "\",\"row_count\":1,\"sha256\":\""
                        + manifestSha256
                        + "\"}"));
  }

  private CliTest.Run takeSnapshot() throws IOException {
    Path labels =
        Files.writeString(
            dir.resolve("labels.ndjson"),
            "{\"user_id\": 1, \"timestamp\": \"2026-11-22T10:00:00Z\"}\n");
    return cli(
        "snapshot",
        "--features",
        "profile:age",
        "--labels",
        labels.toString(),
        "--out",
        dir.resolve("train.jsonl").toString());
  }

  private void assertNothingKept() {
    assertFalse(Files.exists(dir.resolve("train.jsonl")));
    assertFalse(Files.exists(dir.resolve("train.jsonl.part")));
    assertFalse(Files.exists(dir.resolve("train.jsonl.manifest.json")));
  }

  @Test
  void snapshot_endingWithAnErrorLine_exit1NothingKept() throws IOException {
    snapshot(
        "{\"user_id\":1,\"profile:age\":3}\n"
            + "{\"error\":\"unavailable\",\"message\":\"Postgres went away\"}\n",
        false,
        null);
    CliTest.Run run = takeSnapshot();
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("unavailable Postgres went away"), run.err());
    assertNothingKept();
  }

  @Test
  void snapshot_cutMidBody_exit1NothingKept() throws IOException {
    snapshot("{\"user_id\":1,\"profile:age\":3}\n{\"user_id\":2,", true, null);
    CliTest.Run run = takeSnapshot();
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("the stream was cut"), run.err());
    assertNothingKept();
  }

  @Test
  void snapshot_digestNotTheManifests_exit1NothingKept() throws IOException {
    snapshot("{\"user_id\":1,\"profile:age\":3}\n", false, "0".repeat(64));
    CliTest.Run run = takeSnapshot();
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("is not the manifest's"), run.err());
    assertNothingKept();
  }

  @Test
  void snapshot_completeAndMatching_kept() throws IOException {
    String body = "{\"user_id\":1,\"profile:age\":3}\n";
    snapshot(body, false, CliTest.sha256(body.getBytes(StandardCharsets.UTF_8)));
    CliTest.Run run = takeSnapshot();
    assertEquals(0, run.exit(), run.err());
    assertEquals(body, Files.readString(dir.resolve("train.jsonl")));
    assertTrue(Files.exists(dir.resolve("train.jsonl.manifest.json")));
  }
}
