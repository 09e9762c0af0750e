package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A snapshot taken while the event loop serving online reads is late, on a real server: reads large
 * enough to hold its one loop for milliseconds press serving, the snapshot's work is held back, and
 * its rows are byte for byte those of the same snapshot taken with nothing else running.
 */
@ExtendWith(VertxExtension.class)
class SnapshotPacingTest {

  private static final int USERS = 3000;
  private static final int LABEL_ROWS = 20_000;

  private static String labels() {
    StringBuilder body = new StringBuilder("{\"features\":[\"profile:age\",\"profile:plan\"]}\n");
    for (int i = 0; i < LABEL_ROWS; i++) {
      body.append("{\"user_id\":")
          .append(1 + i % USERS)
          .append(",\"timestamp\":\"")
          .append(FreshetFixture.T0)
          .append("\"}\n");
    }
    return body.toString();
  }

  private static String everyUserRead() {
    JsonArray users = new JsonArray();
    for (int u = 1; u <= USERS; u++) {
      users.add(u);
    }
    return new JsonObject()
        .put(
            "features",
            new JsonArray()
                .add("profile:age")
                .add("profile:plan")
                .add("profile:score")
                .add("profile:active"))
        .put("entities", new JsonObject().put("user_id", users))
        .encode();
  }

  @Test
  void underPressure_snapshotWorkIsHeldBack_andItsRowsAreTheSame(Vertx vertx) throws Exception {
    FreshetFixture f =
        FreshetFixture.start(
            vertx, o -> o.eventLoops(1).maxOnlineEntities(USERS).snapshotSharePercent(20));
    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    Thread reader = null;
    try {
      JsonObject[] rows = new JsonObject[USERS];
      for (int u = 1; u <= USERS; u++) {
        rows[u - 1] =
            FreshetFixture.profile(u, FreshetFixture.at(Duration.ofMinutes(5)), 18 + u % 100);
      }
      f.ingest("profile", rows);
      Api.Response alone = f.api.post("/v1/features/historical", "application/x-ndjson", labels());
      assertEquals(200, alone.status(), () -> alone.body().toString());
      assertEquals(0.0, f.metric("freshet_snapshot_held_seconds_total"));

      HttpClient client = HttpClient.newHttpClient();
      HttpRequest read =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + f.freshet.port() + "/v1/features/online"))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(everyUserRead()))
              .build();
      reader =
          new Thread(
              () -> {
                while (reading.get()) {
                  try {
                    if (client.send(read, HttpResponse.BodyHandlers.discarding()).statusCode()
                        == 200) {
                      answered.incrementAndGet();
                    }
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      reader.start();
      assertTrue(
          f.eventually(Duration.ofSeconds(20), () -> f.metric("freshet_serving_pressed") == 1.0),
          "reads of 3,000 entities on one event loop press serving");

      Api.Response pressed =
          f.api.post("/v1/features/historical", "application/x-ndjson", labels());
      assertEquals(200, pressed.status(), () -> pressed.body().toString());
      assertEquals(alone.body(), pressed.body());
      assertTrue(f.metric("freshet_snapshot_held_seconds_total") > 0, "snapshot work was held");
      assertTrue(answered.get() > 0);
    } finally {
      reading.set(false);
      if (reader != null) {
        reader.join(10_000);
      }
      f.close();
    }
  }
}
