package io.freshet.write;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A large batch goes to Postgres as one statement of several megabytes; its connection is cut while
 * that statement is still on the wire. Postgres must keep nothing of it (one statement, one
 * transaction), the writer must hear that nothing was written, and the same batch sent again must
 * go in whole.
 */
@ExtendWith(VertxExtension.class)
class BatchCutMidStreamTest {

  private static final int ROWS = 50_000;

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

  private static JsonObject batch() {
    JsonArray rows = new JsonArray();
    for (int i = 0; i < ROWS; i++) {
      rows.add(
          new JsonObject()
              .put("user_id", 1_000_000 + i)
              .put("event_timestamp", at(Duration.ofSeconds(30)))
              .put("age", i % 150)
              .put("plan", "pro")
              .put("score", (i % 2000) / 100.0 - 10));
    }
    return new JsonObject().put("rows", rows);
  }

  private long logged() {
    return f.freshet
        .pool()
        .query("SELECT count(*) FROM warm_repairs")
        .execute()
        .await()
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void connectionCutWhileTheBatchIsSent_nothingWritten_writerTold_resentBatchWhole() {
    JsonObject batch = batch();
    // A megabyte of the statement reaches Postgres, then the connection drops: about a fifth.
    pg.proxy().cutMidStream(1 << 20);
    Api.Response cut = f.api.post("/v1/ingest/profile", batch);
    assertEquals(503, cut.status(), cut.body().toString());
    assertEquals("unavailable", cut.error());
    assertTrue(cut.json().getString("message").contains("nothing was written"));

    assertEquals(0, f.historyCount("profile"));
    assertEquals(0, logged());

    Api.Response resent = f.api.post("/v1/ingest/profile", batch);
    assertEquals(200, resent.status(), resent.body().toString());
    assertEquals(ROWS, resent.json().getInteger("accepted"));
    assertEquals(ROWS, f.historyCount("profile"));
  }
}
