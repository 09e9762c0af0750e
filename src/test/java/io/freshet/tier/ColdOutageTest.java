package io.freshet.tier;

import static io.freshet.testing.FreshetFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.TcpProxy;
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

/** Postgres reached through a relay the test cuts: the cold tier goes away mid-run. */
@ExtendWith(VertxExtension.class)
class ColdOutageTest {

  private TcpProxy.ToPostgres pg;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    pg = TcpProxy.toPostgres(vertx);
    f = FreshetFixture.start(vertx, o -> o.pgUrl(pg.url()));
  }

  @AfterEach
  void stop() {
    pg.closeWith(f);
  }

  private Api.Response ingest(long user, int age) {
    return f.api.post(
        "/v1/ingest/profile",
        new JsonObject()
            .put(
                "rows",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("user_id", user)
                            .put("event_timestamp", at(Duration.ofSeconds(age)))
                            .put("age", age)
                            .put("plan", "pro"))));
  }

  private Api.Response read(long user) {
    return f.online(
        new JsonObject()
            .put("features", new JsonArray().add("profile:age"))
            .put("entities", new JsonObject().put("user_id", new JsonArray().add(user))));
  }

  private static String tier(Api.Response r) {
    return r.json()
        .getJsonArray("results")
        .getJsonObject(0)
        .getJsonObject("meta")
        .getJsonObject("profile:age")
        .getString("tier");
  }

  @Test
  void postgresDown_writesRefusedWithNothingWritten_readsFromHotAndWarm_thenRecovers() {
    assertEquals(200, ingest(1, 10).status());

    pg.proxy().cut();
    Api.Response refused = ingest(1, 5);
    assertEquals(503, refused.status());
    assertEquals("unavailable", refused.error());
    assertEquals("DOWN", f.api.get("/health").json().getJsonObject("tiers").getString("cold"));
    assertEquals("DEGRADED", f.api.get("/health").json().getString("status"));

    Api.Response hot = read(1);
    assertEquals(200, hot.status());
    assertEquals("hot", tier(hot));
    f.clearHot();
    Api.Response warm = read(1);
    assertEquals(200, warm.status());
    assertEquals("warm", tier(warm));
    assertEquals(
        10,
        warm.json()
            .getJsonArray("results")
            .getJsonObject(0)
            .getJsonObject("values")
            .getInteger("profile:age"));

    Api.Response unknown = read(2);
    assertEquals(503, unknown.status());
    assertEquals("unavailable", unknown.error());

    pg.proxy().restore();
    f.freshet.tiers().cold().check().await();
    assertEquals("UP", f.api.get("/health").json().getString("status"));
    assertEquals(1, f.historyCount("profile"));
    assertEquals(200, ingest(1, 3).status());
    assertEquals(2, f.historyCount("profile"));
    assertEquals(200, read(2).status());
  }

  @Test
  void postgresDown_everyRouteThatNeedsIt_answers503_theOthersAnswer() {
    assertEquals(200, ingest(1, 10).status());
    pg.proxy().cut();
    String unknownSnapshot = "0b9c2f4e-3d7a-4c1e-9f55-2a6b8e1d7c30";
    List<Api.Response> needPostgres =
        List.of(
            f.api.get("/v1/snapshots/" + unknownSnapshot),
            f.api.post(
                "/v1/transformations/score_z/fit",
                new JsonObject().put("snapshot_id", unknownSnapshot)),
            f.api.get("/v1/features/profile/1?at=" + at(Duration.ZERO)),
            f.api.post("/v1/features/historical", FreshetFixture.oneRowAtT0("profile:age")));
    for (Api.Response r : needPostgres) {
      assertEquals(503, r.status(), r.body().toString());
      assertEquals("unavailable", r.error(), r.body().toString());
      assertTrue(r.json().getString("message").contains("Postgres"), r.body().toString());
    }
    assertEquals(200, f.api.get("/v1/registry").status());
    assertEquals(200, f.api.get("/v1/freshness").status());
    assertEquals(200, f.api.get("/health").status());
  }
}
