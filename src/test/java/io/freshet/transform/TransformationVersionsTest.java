package io.freshet.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed expression is a new version, and the old one stays computable: an instance running the
 * new schemas still serves {@code name@1} with the old expression, so a snapshot taken before the
 * change reproduces byte for byte, while an instance still on the old schemas keeps serving its
 * own.
 */
@ExtendWith(VertxExtension.class)
class TransformationVersionsTest {

  @TempDir Path changedSchemas;

  @Test
  @Timeout(60)
  void changedExpression_newVersionOnNewSchemas_oldVersionStillServedAndReproducible(Vertx vertx)
      throws IOException {
    String schemas = Files.readString(FreshetFixture.TEST_SCHEMAS.resolve("test.yaml"));
    Files.writeString(
        changedSchemas.resolve("test.yaml"),
        schemas.replace("expression: age * 12\n", "expression: age * 12 + 1\n"));
    try (FreshetFixture before = FreshetFixture.start(vertx)) {
      for (long user = 1; user <= 5; user++) {
        before.ingest(
            "profile",
            new JsonObject()
                .put("user_id", user)
                .put("event_timestamp", FreshetFixture.at(Duration.ofSeconds(10)))
                .put("age", 20 + user)
                .put("plan", "pro"));
      }
      before.clock.advance(Duration.ofSeconds(1));
      JsonObject request =
          new JsonObject()
              .put("features", new JsonArray().add("profile:age").add("age_months"))
              .put("rows", labels(before))
              .put("format", "csv");
      Api.Response original = before.api.post("/v1/features/historical", request);
      assertEquals(200, original.status(), original.body()::toString);
      JsonObject manifest = before.api.get("/v1/snapshots/" + original.snapshotId()).json();
      assertEquals(
          new JsonArray().add("profile:age").add("age_months@1"),
          manifest.getJsonObject("request").getJsonArray("features"));

      FreshetFixture after = before.startPeer(changedSchemas);
      try {
        assertEquals(26 * 12 + 1, valueOf(after, "age_months", 2));
        assertEquals(26 * 12, valueOf(after, "age_months@1", 1));
        assertEquals(26 * 12, valueOf(before, "age_months", 1), "the old deploy keeps its own");
        assertEquals(404, after.online(online("age_months@9")).status());

        Api.Response rerun =
            after.api.post(
                "/v1/features/historical",
                new JsonObject()
                    .put("features", manifest.getJsonObject("request").getJsonArray("features"))
                    .put("cutoff", manifest.getString("cutoff"))
                    .put("rows", labels(before))
                    .put("format", "csv"));
        assertEquals(200, rerun.status(), rerun.body()::toString);
        assertEquals(original.body().toString(), rerun.body().toString());

        JsonObject listed =
            after.api.get("/v1/registry").json().getJsonArray("transformations").stream()
                .map(JsonObject.class::cast)
                .filter(t -> t.getString("name").equals("age_months"))
                .findFirst()
                .orElseThrow();
        assertEquals(2, listed.getInteger("version"));
        assertEquals("age * 12 + 1", listed.getString("expression"));
        assertEquals(2, listed.getJsonArray("versions").size());
      } finally {
        after.stop();
      }
    }
  }

  private static JsonArray labels(FreshetFixture f) {
    JsonArray rows = new JsonArray();
    for (long user = 1; user <= 5; user++) {
      rows.add(
          new JsonObject().put("user_id", user).put("timestamp", f.clock.instant().toString()));
    }
    return rows;
  }

  private static JsonObject online(String feature) {
    return new JsonObject()
        .put("features", new JsonArray().add(feature))
        .put("entities", new JsonObject().put("user_id", new JsonArray().add(6)));
  }

  /** User 6 (age 26) is ingested here so both instances read it fresh from the record of truth. */
  private static long valueOf(FreshetFixture f, String feature, int expectedVersion) {
    f.ingest(
        "profile",
        new JsonObject()
            .put("user_id", 6)
            .put("event_timestamp", f.clock.instant().toString())
            .put("age", 26)
            .put("plan", "basic"));
    Api.Response r = f.online(online(feature));
    assertEquals(200, r.status(), r.body()::toString);
    assertEquals(
        expectedVersion,
        r.json().getJsonArray("transformations").getJsonObject(0).getInteger("version"));
    return r.json()
        .getJsonArray("results")
        .getJsonObject(0)
        .getJsonObject("values")
        .getLong(feature.replaceAll("@.*", ""));
  }
}
