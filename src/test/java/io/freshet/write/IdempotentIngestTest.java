package io.freshet.write;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class IdempotentIngestTest {

  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject batch(long user, int age) {
    return new JsonObject()
        .put(
            "rows",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("user_id", user)
                        .put("event_timestamp", at(Duration.ofSeconds(10)))
                        .put("age", age)
                        .put("plan", "pro")));
  }

  private static Api.Response send(String key, JsonObject body) {
    return f.api.send(
        HttpMethod.POST,
        "/v1/ingest/profile",
        "application/json",
        body.toBuffer(),
        key == null ? Map.of() : Map.of("Idempotency-Key", key));
  }

  @Test
  void retryWithSameKey_firstAnswerAndNothingWrittenAgain() {
    Api.Response first = send("batch-1", batch(1, 30));
    long rows = f.historyCount("profile");
    f.clock.advance(Duration.ofSeconds(1));
    Api.Response retry = send("batch-1", batch(1, 30));
    assertEquals(200, retry.status());
    assertEquals(first.json(), retry.json());
    assertEquals(rows, f.historyCount("profile"));
  }

  @Test
  void sameKeyDifferentBody_refusedAndNothingWritten() {
    send("batch-2", batch(2, 30));
    long rows = f.historyCount("profile");
    Api.Response reused = send("batch-2", batch(2, 31));
    assertEquals(400, reused.status());
    assertEquals("bad_request", reused.error());
    assertEquals(rows, f.historyCount("profile"));
  }

  @Test
  void malformedKey_refused() {
    assertEquals(400, send("", batch(3, 30)).status());
    assertEquals(400, send("x".repeat(256), batch(3, 30)).status());
    assertEquals(400, send("has space", batch(3, 30)).status());
  }

  @Test
  void invalidBatchWithKey_keyNotConsumed() {
    JsonObject bad = batch(4, 999);
    assertEquals("validation_failed", send("batch-4", bad).error());
    Api.Response good = send("batch-4", batch(4, 40));
    assertEquals(200, good.status());
    assertEquals(1, good.json().getInteger("accepted"));
  }

  @Test
  void retriesRacingTheOriginal_allGetOneAnswerAndOneWrite() throws Exception {
    long before = f.historyCount("profile");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Api.Response>> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(pool.submit(() -> send("batch-5", batch(5, 50))));
      }
      Set<JsonObject> distinct = new HashSet<>();
      for (Future<Api.Response> answer : answers) {
        Api.Response response = answer.get();
        assertEquals(200, response.status(), response.body().toString());
        distinct.add(response.json());
      }
      assertEquals(1, distinct.size());
      assertEquals(before + 1, f.historyCount("profile"));
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void noKey_everyPostWrites() {
    long before = f.historyCount("profile");
    send(null, batch(6, 60));
    f.clock.advance(Duration.ofSeconds(1));
    send(null, batch(6, 60));
    assertEquals(before + 2, f.historyCount("profile"));
  }
}
