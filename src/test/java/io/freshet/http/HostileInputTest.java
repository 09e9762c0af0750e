package io.freshet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.ApiException;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seeded random and adversarial bodies, paths and query strings at every endpoint: the answer is
 * always one of the API's statuses with its JSON error, never a 500 or a stack trace, and a refused
 * ingest writes nothing.
 */
@ExtendWith(VertxExtension.class)
class HostileInputTest {

  private static final long SEED = Long.getLong("freshet.fuzz.seed", 20261124L);
  private static final Set<Integer> API_STATUSES = Set.of(200, 400, 401, 404, 409, 413);
  private static final List<String> KEYS =
      List.of(
          "rows",
          "user_id",
          "event_timestamp",
          "age",
          "plan",
          "score",
          "active",
          "device_id",
          "os",
          "logins",
          "features",
          "feature_service",
          "entities",
          "meta",
          "timestamp",
          "format",
          "cutoff",
          "include_timestamps",
          "__proto__",
          "",
          "\u0000",
          "user_id\u0000");
  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx, o -> o.maxBodyBytes(256 * 1024));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static String value(Random random, int depth) {
    switch (random.nextInt(depth > 4 ? 9 : 12)) {
      case 0:
        return "null";
      case 1:
        return Boolean.toString(random.nextBoolean());
      case 2:
        return Long.toString(random.nextLong());
      case 3:
        return List.of(
                "1e999", "-1e999", "1e-999", "123456789012345678901234567890", "-0", "0.1", "1E2")
            .get(random.nextInt(7));
      case 4:
        return Double.toString(random.nextDouble() * 1e6);
      case 5:
        return quote(
            List.of("pro", "basic", "2026-11-22T10:00:00Z", "2026-11-22T10:00:00", "NaN", "")
                .get(random.nextInt(6)));
      case 6:
        return quote(randomText(random));
      case 7:
        return "\"" + "x".repeat(random.nextInt(3) == 0 ? 100_000 : 10) + "\"";
      case 8:
        return Integer.toString(random.nextInt(200) - 50);
      case 9:
      case 10:
        StringBuilder object = new StringBuilder("{");
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
          object.append(i == 0 ? "" : ",").append(quote(KEYS.get(random.nextInt(KEYS.size()))));
          object.append(':').append(value(random, depth + 1));
        }
        return object.append('}').toString();
      default:
        StringBuilder array = new StringBuilder("[");
        int items = random.nextInt(4);
        for (int i = 0; i < items; i++) {
          array.append(i == 0 ? "" : ",").append(value(random, depth + 1));
        }
        return array.append(']').toString();
    }
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      text.append(
          (char) (random.nextBoolean() ? random.nextInt(0x20) : 0x20 + random.nextInt(0x2fff)));
    }
    return text.toString();
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static Buffer mangle(Random random, String body) {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    switch (random.nextInt(6)) {
      case 0:
        if (bytes.length > 0) {
          bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80));
        }
        return Buffer.buffer(bytes);
      case 1:
        return Buffer.buffer(body.substring(0, random.nextInt(body.length() + 1)));
      case 2:
        return Buffer.buffer("[".repeat(5000) + "]".repeat(5000));
      default:
        return Buffer.buffer(bytes);
    }
  }

  private static void assertApiAnswer(String request, Api.Response response) {
    String what = request.length() > 200 ? request.substring(0, 200) + "..." : request;
    if (response.status() == 414) {
      // A request line over Netty's 4,096 bytes is refused by the HTTP codec before routing.
      return;
    }
    assertTrue(
        API_STATUSES.contains(response.status()),
        what + " -> " + response.status() + " " + response.body());
    String text = response.body().toString();
    assertFalse(text.contains("Exception") || text.contains("\tat "), what + " -> " + text);
    if (response.status() >= 400) {
      assertTrue(response.json().containsKey("error"), what + " -> " + text);
    }
  }

  @Test
  void randomBodies_atEveryEndpoint_alwaysAnApiAnswerAndNothingWrittenWhenRefused() {
    Random random = new Random(SEED);
    String[] paths = {
      "/v1/ingest/profile",
      "/v1/ingest/device_stats",
      "/v1/features/online",
      "/v1/features/historical",
      "/v1/ingest/nope"
    };
    for (int i = 0; i < 600; i++) {
      String path = paths[random.nextInt(paths.length)];
      String type = random.nextInt(4) == 0 ? "application/x-ndjson" : "application/json";
      String body = value(random, 0);
      if (type.equals("application/x-ndjson")) {
        body = body + "\n" + value(random, 0) + "\n" + value(random, 0);
      }
      long before = f.historyCount("profile") + f.historyCount("device_stats");
      Api.Response response =
          f.api.send(HttpMethod.POST, path, type, mangle(random, body), Map.of());
      String what = "seed " + SEED + " #" + i + " POST " + path + " " + type;
      assertApiAnswer(what, response);
      if (response.status() != 200 && path.startsWith("/v1/ingest/")) {
        assertTrue(
            before == f.historyCount("profile") + f.historyCount("device_stats"),
            what + " wrote rows and was refused");
      }
    }
  }

  @Test
  void randomPathsAndQueries_alwaysAnApiAnswer() {
    Random random = new Random(SEED + 1);
    String[] pieces = {
      "v1",
      "features",
      "profile",
      "1",
      "%00",
      "%2F",
      "..",
      "%ZZ",
      "snapshots",
      "registry",
      "freshness",
      "x".repeat(3000),
      "%E2%82",
      "?at=",
      "?at=2026-11-22T10:00:00Z",
      "?at=%00",
      "?at=yesterday",
      ";",
      "~"
    };
    for (int i = 0; i < 300; i++) {
      StringBuilder path = new StringBuilder();
      int depth = 1 + random.nextInt(5);
      for (int d = 0; d < depth; d++) {
        path.append('/').append(pieces[random.nextInt(pieces.length)]);
      }
      Api.Response response = f.api.send(HttpMethod.GET, path.toString(), null, null, Map.of());
      assertApiAnswer("seed " + SEED + " GET " + path, response);
    }
  }

  /**
   * What the HTTP decoder refuses before any route sees it (a request line or headers past its
   * limits, a line that is not HTTP) still gets the API's JSON error, not an empty 414 or 431.
   */
  @Test
  void requestsTheHttpDecoderRefuses_getTheApiJsonError() throws Exception {
    List<String> requests =
        List.of(
            "GET /v1/features/profile/" + "1".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/registry HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n",
            "GARBAGE\r\n\r\n",
            "GET /v1/registry HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n");
    for (String request : requests) {
      String answer = exchange(request);
      String what = request.substring(0, Math.min(40, request.length()));
      assertTrue(answer.startsWith("HTTP/1.") && answer.contains(" 400 "), what + ": " + answer);
      assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertEquals(
          "bad_request", new io.vertx.core.json.JsonObject(body).getString("error"), answer);
    }
    Api.Response twice =
        f.api.get("/v1/features/profile/1?at=2026-11-22T10:00:00Z&at=2026-11-22T09:00:00Z");
    assertEquals(400, twice.status());
    assertTrue(
        twice.json().getString("message").contains("given 2 times"), twice.body().toString());
  }

  /**
   * U+0000, which Postgres's text and jsonb refuse, and lone surrogates, which UTF-8 cannot encode,
   * as a string join key and as a string value, at every path that takes one: a 400 that says what
   * a string must be, never a 500, and nothing written. A surrogate pair (an emoji) is text like
   * any other, kept and read back as sent.
   */
  @Test
  void nulAndLoneSurrogates_inStringKeysAndValues_refusedAtEveryPath_nothingWritten() {
    String must = "a string without U+0000 or unpaired surrogates";
    String row =
        "{\"device_id\": \"%s\", \"event_timestamp\": \"2026-11-22T09:00:00Z\", \"logins\": 1,";
    for (String bad : List.of("\\u0000", "a\\u0000b", "\\ud800", "x\\udc00", "\\ude00\\ud83d")) {
      long before = f.historyCount("device_stats");
      assertRefusedRow(
          post("/v1/ingest/device_stats", rows(row.formatted(bad) + " \"os\": \"a\"}")),
          "device_id",
          "must be a non-empty string without U+0000 or unpaired surrogates");
      assertRefusedRow(
          post("/v1/ingest/device_stats", rows(row.formatted("d") + " \"os\": \"" + bad + "\"}")),
          "os",
          "must be " + must);
      assertEquals(before, f.historyCount("device_stats"), bad + " was written");
      assertBadRequest(
          post(
              "/v1/features/online",
              "{\"features\": [\"device_stats:os\"], \"entities\": {\"device_id\": [\"d\", \""
                  + bad
                  + "\"]}}"),
          "not " + must);
      assertBadRequest(
          post(
              "/v1/features/historical",
              "{\"features\": [\"device_stats:os\"], \"rows\": [{\"device_id\": \""
                  + bad
                  + "\", \"timestamp\": \"2026-11-22T10:00:00Z\"}]}"),
          "row 0: device_id must be " + must);
    }
    String labels =
        "{\"features\": [\"device_stats:os\"], \"rows\": [{\"device_id\": \"d\","
            + " \"timestamp\": \"2026-11-22T10:00:00Z\", %s: %s}]}";
    assertBadRequest(
        post("/v1/features/historical", labels.formatted("\"label\"", "\"\\ud800\"")),
        "row 0 field 'label' must be " + must);
    assertBadRequest(
        post("/v1/features/historical", labels.formatted("\"\\udc00\"", "1")),
        "row 0 names a field that is not " + must);
    for (String path :
        List.of("/v1/features/device_stats/%00", "/v1/features/device_stats/a%00b")) {
      assertBadRequest(f.api.get(path), "device_id must be " + must);
    }

    String rocket = new String(Character.toChars(0x1F680));
    Api.Response kept =
        post(
            "/v1/ingest/device_stats",
            rows(row.formatted("\\ud83d\\ude80") + " \"os\": \"\\ud83d\\ude80\"}"));
    assertEquals(200, kept.status(), kept.body().toString());
    Api.Response read =
        post(
            "/v1/features/online",
            "{\"features\": [\"device_stats:os\"], \"entities\": {\"device_id\": [\""
                + rocket
                + "\"]}}");
    assertEquals(
        rocket,
        read.json()
            .getJsonArray("results")
            .getJsonObject(0)
            .getJsonObject("values")
            .getString("device_stats:os"),
        read.body().toString());
  }

  private static Api.Response post(String path, String body) {
    return f.api.post(path, "application/json", body);
  }

  private static void assertRefusedRow(Api.Response response, String field, String message) {
    assertEquals(400, response.status(), response.body().toString());
    assertEquals("validation_failed", response.json().getString("error"));
    io.vertx.core.json.JsonObject detail = response.json().getJsonArray("details").getJsonObject(0);
    assertEquals(0, detail.getInteger("row"), response.body().toString());
    assertEquals(field, detail.getString("field"), response.body().toString());
    assertEquals(message, detail.getString("message"), response.body().toString());
  }

  private static void assertBadRequest(Api.Response response, String message) {
    assertEquals(400, response.status(), response.body().toString());
    assertEquals("bad_request", response.json().getString("error"));
    assertTrue(response.json().getString("message").contains(message), response.body().toString());
  }

  /** Sends raw bytes and reads the answer until the server closes the connection. */
  private static String exchange(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", f.freshet.port())) {
      socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(10));
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(answer);
      } catch (IOException reset) {
        // What arrived before the reset is the answer.
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Ten-megabyte strings as a value, a join key, a field name and an unknown feature, under the
   * default 16 MiB body limit so that they are parsed, and over a small limit: always a small API
   * error (never an echo of the string), and nothing written.
   */
  @Test
  @Timeout(90)
  void tenMegabyteStrings_refusedCleanlyAndNothingWritten(Vertx vertx) throws Exception {
    String huge = "x".repeat(10 * 1024 * 1024);
    String row = "{\"device_id\": %s, \"event_timestamp\": \"2026-11-22T09:00:00Z\", %s}";
    String os = "\"os\": \"linux\", \"logins\": 1";
    List<String[]> cases =
        List.of(
            new String[] {
              "/v1/ingest/device_stats", rows(row.formatted("\"d\"", os.replace("linux", huge)))
            },
            new String[] {"/v1/ingest/device_stats", rows(row.formatted(quote(huge), os))},
            new String[] {
              "/v1/ingest/device_stats",
              rows(row.formatted("\"d\"", os + ", " + quote(huge) + ": 1"))
            },
            new String[] {
              "/v1/ingest/profile",
              rows(
                  "{\"user_id\": 1, \"event_timestamp\": \"2026-11-22T09:00:00Z\", \"age\": "
                      + quote(huge)
                      + ", \"plan\": \"pro\"}")
            },
            new String[] {
              "/v1/features/online",
              "{\"features\": [" + quote(huge) + "], \"entities\": {\"device_id\": [\"d\"]}}"
            });
    try (FreshetFixture big = FreshetFixture.start(vertx)) {
      for (String[] c : cases) {
        assertSmallApiError(c[0], big.api.post(c[0], "application/json", c[1]), Set.of(400, 404));
      }
      String ndjson = row.formatted(quote(huge), os) + "\n";
      assertSmallApiError(
          "ndjson",
          big.api.post("/v1/ingest/device_stats", "application/x-ndjson", ndjson),
          Set.of(400));
      assertEquals(0, big.historyCount("device_stats"));
      assertEquals(0, big.historyCount("profile"));
    }
    // The server answers 413 and closes while the client is still sending, as HTTP/1.1 allows;
    // Vert.x's client then reports the closed connection, so the answer is read off a socket.
    long before = f.historyCount("device_stats");
    String answer = postWhileReading(f.freshet.port(), "/v1/ingest/device_stats", cases.get(0)[1]);
    assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    assertTrue(
        answer.endsWith(
            "\r\n\r\n"
                + ApiException.tooLarge("the request body is larger than the configured limit")
                    .toJson()
                    .encode()),
        answer);
    assertEquals(before, f.historyCount("device_stats"));
  }

  /** Sends a JSON POST while reading the answer, which may come before the body is all sent. */
  private static String postWhileReading(int port, String path, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      Thread reader =
          new Thread(
              () -> {
                try {
                  socket.getInputStream().transferTo(answer);
                } catch (IOException reset) {
                  // What arrived before the reset is the answer.
                }
              });
      reader.start();
      OutputStream out = socket.getOutputStream();
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + bytes.length
              + "\r\n\r\n";
      try {
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
      } catch (IOException closedByServer) {
        // Expected once the server has answered: it reads no more of the body.
      }
      reader.join(TimeUnit.SECONDS.toMillis(30));
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static String rows(String row) {
    return "{\"rows\": [" + row + "]}";
  }

  private static void assertSmallApiError(
      String what, Api.Response response, Set<Integer> allowed) {
    String text = response.body().toString();
    assertTrue(
        allowed.contains(response.status()),
        what + " -> " + response.status() + " " + text.substring(0, Math.min(300, text.length())));
    assertTrue(text.length() < 4096, what + " answered " + text.length() + " bytes");
    assertTrue(response.json().containsKey("error"), what + " -> " + text);
  }
}
