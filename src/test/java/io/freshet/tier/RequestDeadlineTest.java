package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Postgres that accepts connections and never answers: reads that need it get 503 at
 * FRESHET_REQUEST_TIMEOUT_MS, not a connection cut at the idle timeout; what needs no Postgres
 * answers; a write is not cut by the deadline, since its 503 must mean nothing was written.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class RequestDeadlineTest {

  private static final Duration DEADLINE = Duration.ofMillis(400);

  private TcpProxy.ToPostgres pg;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    pg = TcpProxy.toPostgres(vertx);
    f = FreshetFixture.start(vertx, o -> o.pgUrl(pg.url()).requestTimeout(DEADLINE));
  }

  @AfterEach
  void stop() {
    pg.closeWith(f);
  }

  @Test
  void postgresHangs_readsNeedingIt_503AtTheDeadline_othersAnswer() {
    f.ingest("profile", FreshetFixture.userOneProfile());
    f.readFrom("cold");
    pg.proxy().stall();

    Map<String, Api.Response> reads =
        Map.of(
            "online read of a value only Postgres has",
            f.online(
                new JsonObject()
                    .put("features", new JsonArray().add("profile:age"))
                    .put("entities", new JsonObject().put("user_id", new JsonArray().add(1)))),
            "as-of lookup",
            f.api.get("/v1/features/profile/1"),
            "manifest",
            f.api.get("/v1/snapshots/0b9c2f4e-3d7a-4c1e-9f55-2a6b8e1d7c30"));
    reads.forEach(
        (what, r) -> {
          assertEquals(503, r.status(), what + ": " + r.body());
          assertEquals(
              "the request did not complete within its deadline",
              r.json().getString("message"),
              what);
        });
    assertEquals(200, f.api.get("/v1/registry").status());
    assertEquals(200, f.api.get("/v1/freshness").status());

    pg.proxy().restore();
    assertTrue(
        f.eventually(
            Duration.ofSeconds(20), () -> f.api.get("/v1/features/profile/1").status() == 200));
  }

  @Test
  void writeSlowerThanTheDeadline_notCut_answeredOnceCommitted() throws Exception {
    f.ingest("profile", FreshetFixture.userOneProfile());
    // Another session holds the history table, so the next append waits for it.
    SqlConnection holder = f.freshet.pool().getConnection().await();
    Transaction held = holder.begin().await();
    holder.query("LOCK TABLE feature_history IN EXCLUSIVE MODE").execute().await();
    CompletableFuture<Api.Response> write =
        CompletableFuture.supplyAsync(
            () ->
                f.api.post(
                    "/v1/ingest/profile",
                    new JsonObject()
                        .put(
                            "rows",
                            new JsonArray()
                                .add(FreshetFixture.userOneProfile().put("user_id", 2)))));
    f.vertx.timer(DEADLINE.toMillis() * 3).await();
    assertFalse(write.isDone(), () -> "answered while the table was held: " + write.join().body());
    held.commit().await();
    holder.close().await();

    Api.Response answer = write.get(20, TimeUnit.SECONDS);
    assertEquals(200, answer.status(), answer.body().toString());
    assertEquals(2, f.historyCount("profile"));
  }
}
