package io.freshet.write;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A batch's values are written as JSON text once and taken as such by Postgres, Redis and the
 * change feed: every tier must give back exactly what was sent, whatever the characters and
 * numbers.
 */
@ExtendWith(VertxExtension.class)
class IngestRoundTripTest {

  private static final String AWKWARD =
      "say \"hi\" \\ back\\slash\n\t\u0001 ☃ \uD83D\uDE00 </script>";
  private static final String AWKWARD_KEY = "dev \"1\" \\ \u0007 ☃";

  private FreshetFixture f;
  private FreshetFixture peer;

  @BeforeEach
  void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
    peer = f.startPeer();
    assertTrue(
        f.eventually(Duration.ofSeconds(10), () -> peer.freshet.tiers().hot().coherent()),
        "the peer hears the feed");
  }

  @AfterEach
  void stop() {
    peer.stop();
    f.close();
  }

  private JsonObject read(FreshetFixture on, String tier) {
    on.readFrom(tier);
    Api.Response r =
        on.online(
            new JsonObject()
                .put("features", new JsonArray().add("device_stats:os").add("device_stats:logins"))
                .put(
                    "entities",
                    new JsonObject().put("device_id", new JsonArray().add(AWKWARD_KEY))));
    JsonObject result = r.json().getJsonArray("results").getJsonObject(0);
    return new JsonObject()
        .put("os", result.getJsonObject("values").getString("device_stats:os"))
        .put("logins", result.getJsonObject("values").getLong("device_stats:logins"))
        .put(
            "tier",
            result.getJsonObject("meta").getJsonObject("device_stats:os").getString("tier"));
  }

  @Test
  void awkwardStringsAndExtremeNumbers_comeBackExactlyFromEveryTierAndThePeer() {
    f.ingest(
        "device_stats",
        new JsonObject()
            .put("device_id", AWKWARD_KEY)
            .put("event_timestamp", at(Duration.ofMinutes(1)))
            .put("os", AWKWARD)
            .put("logins", Long.MIN_VALUE));
    JsonObject expected = new JsonObject().put("os", AWKWARD).put("logins", Long.MIN_VALUE);

    assertEquals(expected.copy().put("tier", "hot"), read(f, "hot"));
    assertTrue(
        peer.eventually(
            Duration.ofSeconds(10),
            () -> {
              FeatureRecord heard =
                  peer.freshet
                      .tiers()
                      .hot()
                      .peek(List.of(new TierKey("device_stats", AWKWARD_KEY)))
                      .get(0);
              return heard != null;
            }),
        "the peer heard the write");
    assertEquals(expected.copy().put("tier", "hot"), read(peer, "hot"));
    assertEquals(expected.copy().put("tier", "warm"), read(f, "warm"));
    assertEquals(expected.copy().put("tier", "cold"), read(f, "cold"));
  }

  @Test
  void doublesAtTheirExtremes_comeBackBitForBit() {
    double[] values = {
      Double.MIN_VALUE, -Double.MAX_VALUE, 0.1 + 0.2, 1e-7, 9.999999999999999, 1e22
    };
    for (int i = 0; i < values.length; i++) {
      f.ingest(
          "risk",
          new JsonObject()
              .put("user_id", 100 + i)
              .put("event_timestamp", at(Duration.ofMinutes(1)))
              .put("risk_score", values[i]));
    }
    for (String tier : List.of("hot", "warm", "cold")) {
      f.readFrom(tier);
      JsonArray ids = new JsonArray();
      for (int i = 0; i < values.length; i++) {
        ids.add(100 + i);
      }
      JsonArray results =
          f.online(
                  new JsonObject()
                      .put("features", new JsonArray().add("risk:risk_score"))
                      .put("entities", new JsonObject().put("user_id", ids)))
              .json()
              .getJsonArray("results");
      for (int i = 0; i < values.length; i++) {
        double got = results.getJsonObject(i).getJsonObject("values").getDouble("risk:risk_score");
        assertEquals(
            Double.doubleToLongBits(values[i]),
            Double.doubleToLongBits(got),
            tier + ": " + values[i] + " came back as " + got);
      }
    }
  }
}
