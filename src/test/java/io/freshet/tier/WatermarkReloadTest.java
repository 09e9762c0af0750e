package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.FreshetFixture;
import io.freshet.testing.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An instance that re-subscribes to the change feed while Postgres is away cannot reload the
 * watermarks of the writes it did not hear about; it keeps trying on its health timer and has them
 * once Postgres answers, rather than reporting an old lag until the view's next write.
 */
@ExtendWith(VertxExtension.class)
class WatermarkReloadTest {

  private static final Duration WITHIN = Duration.ofSeconds(10);

  private TcpProxy.ToPostgres pg;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    pg = TcpProxy.toPostgres(vertx);
    f = FreshetFixture.start(vertx, o -> o.pgUrl(pg.url()).healthInterval(Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() {
    pg.closeWith(f);
  }

  @Test
  void resubscribedWhilePostgresAway_watermarksReloadedOnceItAnswers() {
    f.ingest("profile", FreshetFixture.userOneProfile());
    Instant heard = lastEventTimestamp();
    assertEquals(FreshetFixture.T0.minus(Duration.ofMinutes(10)), heard);
    // What another instance's write does to the watermarks, without an announcement this
    // instance hears: the feed is about to be lost.
    Instant later = FreshetFixture.T0.minusSeconds(5);
    f.freshet
        .pool()
        .preparedQuery(
            "UPDATE view_watermarks SET last_event_ts = $1, last_ingested_at = now()"
                + " WHERE view_name = 'profile'")
        .execute(Tuple.of(OffsetDateTime.ofInstant(later, ZoneOffset.UTC)))
        .await();

    pg.proxy().cut();
    assertEquals(1, f.killFeedSubscribers());
    assertTrue(f.eventually(WITHIN, () -> !f.freshet.tiers().hot().coherent()));
    assertTrue(f.eventually(WITHIN, () -> f.freshet.tiers().hot().coherent()));
    assertEquals(heard, lastEventTimestamp(), "reloaded although Postgres was away");

    pg.proxy().restore();
    assertTrue(
        f.eventually(WITHIN, () -> later.equals(lastEventTimestamp())),
        "last_event_timestamp stayed " + lastEventTimestamp());
  }

  private Instant lastEventTimestamp() {
    JsonObject report = f.api.get("/v1/freshness").json();
    for (Object view : report.getJsonArray("views")) {
      JsonObject entry = (JsonObject) view;
      if (entry.getString("view").equals("profile")) {
        return Instant.parse(entry.getString("last_event_timestamp"));
      }
    }
    throw new AssertionError("no profile view in " + report.encode());
  }
}
