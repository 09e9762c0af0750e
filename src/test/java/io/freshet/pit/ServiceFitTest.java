package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A feature service's fitted transformations: a read that needs them names every one not fitted
 * yet, and one call fits them all from a snapshot, or none of them when any cannot be.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceFitTest {

  private static final List<String> FITTED =
      List.of("score_z", "score_range", "score_filled", "age_bucket", "plan_index");
  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
    List<JsonObject> rows = new ArrayList<>();
    for (int user = 1; user <= 20; user++) {
      rows.add(
          new JsonObject()
              .put("user_id", user)
              .put("event_timestamp", FreshetFixture.at(Duration.ofSeconds(30)))
              .put("age", 20 + user)
              .put("plan", user % 3 == 0 ? "basic" : "pro")
              .put("score", user / 4.0 - 2));
    }
    f.ingest("profile", rows.toArray(JsonObject[]::new));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject read() {
    return new JsonObject()
        .put("feature_service", "skew_v1")
        .put("entities", new JsonObject().put("user_id", new JsonArray().add(1).add(2)));
  }

  private static String snapshot(String... features) {
    JsonArray rows = new JsonArray();
    for (int user = 1; user <= 20; user++) {
      rows.add(
          new JsonObject().put("user_id", user).put("timestamp", FreshetFixture.T0.toString()));
    }
    Api.Response r =
        f.api.post(
            "/v1/features/historical",
            new JsonObject()
                .put("features", new JsonArray(List.of((Object[]) features)))
                .put("rows", rows));
    assertEquals(200, r.status(), () -> r.body().toString());
    return r.snapshotId();
  }

  private static Api.Response fit(String service, String snapshotId) {
    return f.api.post(
        "/v1/feature_services/" + service + "/fit",
        new JsonObject().put("snapshot_id", snapshotId));
  }

  private static List<String> unfitted() {
    Api.Response r = f.online(read());
    assertEquals(409, r.status(), () -> r.body().toString());
    assertEquals("not_fitted", r.error());
    List<String> names = new ArrayList<>();
    r.details().forEach(d -> names.add(((JsonObject) d).getString("transformation")));
    return names;
  }

  @Test
  @Order(1)
  void notFitted_namesEveryUnfittedTransformation_inDetails() {
    assertEquals(FITTED, unfitted());
    Api.Response r = f.online(read());
    assertTrue(r.json().getString("message").startsWith("5 transformations have no fitted"));
    JsonObject first = r.details().getJsonObject(0);
    assertEquals("standardize", first.getString("kind"));
    assertEquals("POST /v1/transformations/score_z/fit", first.getString("fit"));
  }

  @Test
  @Order(2)
  void serviceFit_aSnapshotLackingSomeInputs_400ListingEach_nothingFitted() {
    Api.Response r = fit("skew_v1", snapshot("profile:age"));
    assertEquals(400, r.status(), () -> r.body().toString());
    assertEquals("bad_request", r.error());
    List<String> refused = new ArrayList<>();
    r.details().forEach(d -> refused.add(((JsonObject) d).getString("transformation")));
    assertEquals(List.of("score_z", "score_range", "score_filled", "plan_index"), refused);
    assertTrue(r.json().getString("message").contains("so none was"), r.json()::encode);
    // age_bucket could have been fitted from that snapshot, and was not: all or none.
    assertEquals(FITTED, unfitted());
  }

  @Test
  @Order(3)
  void serviceFit_refusals() {
    String raw = snapshot("profile:age", "profile:plan", "profile:score");
    assertEquals(404, fit("no_such_service", raw).status());
    assertEquals(404, fit("skew_v1", "00000000-0000-0000-0000-000000000000").status());
    assertEquals(404, fit("skew_v1", "not-a-uuid").status());
    Api.Response nothing = fit("user_v1", raw);
    assertEquals(400, nothing.status());
    assertTrue(nothing.json().getString("message").contains("nothing to fit"));
    Api.Response extra =
        f.api.post(
            "/v1/feature_services/skew_v1/fit",
            new JsonObject().put("snapshot_id", raw).put("also", 1));
    assertEquals(400, extra.status());
    assertEquals(FITTED, unfitted());
  }

  @Test
  @Order(4)
  void serviceFit_fitsEveryFittedTransformationAtOnce_readsServeThem() {
    String raw = snapshot("profile:age", "profile:plan", "profile:score");
    Api.Response r = fit("skew_v1", raw);
    assertEquals(200, r.status(), () -> r.body().toString());
    JsonObject answer = r.json();
    assertEquals("skew_v1", answer.getString("feature_service"));
    assertEquals(raw, answer.getString("snapshot_id"));
    JsonArray fitted = answer.getJsonArray("transformations");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < fitted.size(); i++) {
      JsonObject t = fitted.getJsonObject(i);
      names.add(t.getString("name"));
      assertEquals(2, t.getInteger("version"), t::encode);
      assertEquals(raw, t.getJsonObject("provenance").getString("snapshot_id"));
      assertEquals(20, t.getJsonObject("provenance").getLong("row_count"));
    }
    assertEquals(FITTED, names);
    Api.Response online = f.online(read());
    assertEquals(200, online.status(), () -> online.body().toString());

    // Again from the same snapshot: the same fits, no new versions.
    Api.Response again = fit("skew_v1", raw);
    assertEquals(200, again.status());
    assertEquals(fitted, again.json().getJsonArray("transformations"));
  }
}
