package io.freshet.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(VertxExtension.class)
class OnlineRequestErrorsTest {

  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx, o -> o.maxOnlineEntities(5));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject users(Object... ids) {
    return new JsonObject().put("user_id", new JsonArray(List.of(ids)));
  }

  static List<Arguments> requests() {
    return List.of(
        Arguments.of(
            "unknown feature",
            new JsonObject()
                .put("features", new JsonArray().add("profile:height"))
                .put("entities", users(1)),
            404,
            "not_found"),
        Arguments.of(
            "unknown view",
            new JsonObject()
                .put("features", new JsonArray().add("nope:age"))
                .put("entities", users(1)),
            404,
            "not_found"),
        Arguments.of(
            "unknown service",
            new JsonObject().put("feature_service", "nope").put("entities", users(1)),
            404,
            "not_found"),
        Arguments.of(
            "unknown transformation",
            new JsonObject().put("features", new JsonArray().add("nope")).put("entities", users(1)),
            404,
            "not_found"),
        Arguments.of(
            "pin to a version that does not exist",
            new JsonObject()
                .put("features", new JsonArray().add("age_months@7"))
                .put("entities", users(1)),
            404,
            "not_found"),
        Arguments.of(
            "unfitted transformation",
            new JsonObject().put("feature_service", "fitted_v1").put("entities", users(1)),
            409,
            "not_fitted"),
        Arguments.of(
            "both service and features",
            new JsonObject()
                .put("feature_service", "user_v1")
                .put("features", new JsonArray().add("profile:age"))
                .put("entities", users(1)),
            400,
            "bad_request"),
        Arguments.of(
            "neither service nor features",
            new JsonObject().put("entities", users(1)),
            400,
            "bad_request"),
        Arguments.of(
            "unknown join key",
            new JsonObject()
                .put("feature_service", "user_v1")
                .put("entities", new JsonObject().put("uid", new JsonArray().add(1))),
            400,
            "bad_request"),
        Arguments.of(
            "join key of the wrong type",
            new JsonObject().put("feature_service", "user_v1").put("entities", users("one")),
            400,
            "bad_request"),
        Arguments.of(
            "join key beyond int64",
            new JsonObject()
                .put("feature_service", "user_v1")
                .put("entities", users(new java.math.BigInteger("99999999999999999999"))),
            400,
            "bad_request"),
        Arguments.of(
            "join key needed by a view is absent",
            new JsonObject()
                .put("features", new JsonArray().add("device_stats:os"))
                .put("entities", users(1)),
            400,
            "bad_request"),
        Arguments.of(
            "empty entities",
            new JsonObject().put("feature_service", "user_v1").put("entities", users()),
            400,
            "bad_request"),
        Arguments.of(
            "unknown request field",
            new JsonObject()
                .put("feature_service", "user_v1")
                .put("entities", users(1))
                .put("limit", 3),
            400,
            "bad_request"),
        Arguments.of(
            "bad meta mode",
            new JsonObject()
                .put("feature_service", "user_v1")
                .put("entities", users(1))
                .put("meta", "all"),
            400,
            "bad_request"),
        Arguments.of(
            "same feature twice",
            new JsonObject()
                .put("features", new JsonArray().add("profile:age").add("profile:age"))
                .put("entities", users(1)),
            400,
            "bad_request"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void online_badRequest_answersItsCode(String name, JsonObject request, int status, String code) {
    Api.Response r = f.online(request);
    assertEquals(status, r.status(), r.body().toString());
    assertEquals(code, r.error());
    assertFalse(r.json().getString("message").isBlank());
    assertFalse(r.body().toString().contains("Exception"));
  }

  @Test
  void online_moreEntitiesThanLimit_tooLarge() {
    Api.Response r =
        f.online(
            new JsonObject()
                .put("feature_service", "user_v1")
                .put("entities", users(1, 2, 3, 4, 5, 6)));
    assertEquals(413, r.status());
    assertEquals("too_large", r.error());
    assertEquals(
        200,
        f.online(
                new JsonObject()
                    .put("feature_service", "user_v1")
                    .put("entities", users(1, 2, 3, 4, 5)))
            .status());
  }

  @Test
  void online_malformedJson_badRequest() {
    Api.Response r = f.api.post("/v1/features/online", "application/json", "{\"entities\": ");
    assertEquals(400, r.status());
    assertEquals("bad_request", r.error());
  }

  @Test
  void unknownRoute_notFoundAsJson() {
    Api.Response r = f.api.get("/v1/nothing/here");
    assertEquals(404, r.status());
    assertEquals("not_found", r.error());
  }

  @Test
  void registry_listsEveryObjectWithVersionsAndSla() {
    JsonObject registry = f.api.get("/v1/registry").json();
    JsonObject profile =
        registry.getJsonArray("feature_views").stream()
            .map(JsonObject.class::cast)
            .filter(v -> v.getString("name").equals("profile"))
            .findFirst()
            .orElseThrow();
    assertEquals(1, profile.getInteger("version"));
    assertEquals(3_600_000L, profile.getLong("ttl_ms"));
    assertEquals(
        new JsonObject().put("fresh_ms", 60_000).put("stale_ms", 300_000).put("on_rotten", "serve"),
        profile.getJsonObject("freshness"));
    assertEquals(4, profile.getJsonArray("features").size());
    assertEquals(2, registry.getJsonArray("entities").size());
    assertEquals(11, registry.getJsonArray("transformations").size());
    assertEquals(5, registry.getJsonArray("feature_services").size());
  }
}
