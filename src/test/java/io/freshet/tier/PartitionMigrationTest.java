package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.config.FreshetOptions;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upgrade of a history kept before partitioning: a schema at the last migration without
 * partitions, a million rows over two years written into it with SQL, then Freshet started on it as
 * an upgraded instance would be. Every row must come through, in the month partition it belongs to,
 * and be served.
 */
@ExtendWith(VertxExtension.class)
class PartitionMigrationTest {

  private static final int ROWS = 1_000_000;
  private static final int LAST_UNPARTITIONED = 8;

  /**
   * Three views over about 333,000 entities, an event every 40 minutes or so across 2024 and 2025
   * (24 months), each row distinct in (view, entity, event, ingested). 'profile' rows carry values
   * its schema accepts, so the upgraded instance can serve them.
   */
  private static final String GENERATE =
      "INSERT INTO %s.feature_history"
          + " SELECT (ARRAY['profile', 'risk', 'gone'])[g %% 3 + 1], (g / 3)::text,"
          + "   timestamptz '2024-01-01 00:00:00+00' + (g * 63) * interval '1 second',"
          + "   timestamptz '2026-01-01 00:00:00+00' + g * interval '1 microsecond',"
          + "   jsonb_build_object('age', g %% 90, 'plan', 'pro', 'score', (g %% 1000) / 128.0,"
          + "     'active', g %% 2 = 0)"
          + " FROM generate_series(0, %d) g";

  /** A digest of every row that does not depend on their order: count and sum of row hashes. */
  private static final String FINGERPRINT =
      "SELECT count(*), sum(hashtextextended(view_name || '|' || entity_key || '|'"
          + " || event_ts::text || '|' || ingested_at::text || '|' || feature_values::text, 0))"
          + "::text FROM %s.feature_history";

  private Pool pool;
  private String schema;

  @BeforeEach
  void connect(Vertx vertx) {
    schema = "test_mig_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(1))
            .connectingTo(
                PgConnectOptions.fromUri(FreshetOptions.fromEnv(System.getenv()).pgUrl())
                    .addProperty("client_min_messages", "warning"))
            .using(vertx)
            .build();
  }

  @AfterEach
  void drop() {
    pool.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute().await();
    pool.close().await();
  }

  private String fingerprint() {
    Row row = pool.query(String.format(FINGERPRINT, schema)).execute().await().iterator().next();
    return row.getLong(0) + "/" + row.getString(1);
  }

  @Test
  @Timeout(300)
  void upgrade_aMillionRowsUnpartitioned_everyRowInItsMonth_andServed(Vertx vertx)
      throws Exception {
    List<PgMigrations.Migration> all = PgMigrations.load();
    List<PgMigrations.Migration> before = new ArrayList<>();
    all.stream().filter(m -> m.version() <= LAST_UNPARTITIONED).forEach(before::add);
    PgMigrations.apply(pool, schema, before).await();
    pool.query(String.format(GENERATE, schema, ROWS - 1)).execute().await();
    String expected = fingerprint();
    assertTrue(expected.startsWith(ROWS + "/"), expected);

    long started = System.nanoTime();
    List<Integer> applied = PgMigrations.apply(pool, schema, all).await();
    long migrationMs = (System.nanoTime() - started) / 1_000_000;
    System.out.println("partitioning migration of " + ROWS + " rows: " + migrationMs + " ms");

    assertEquals(LAST_UNPARTITIONED + 1, applied.get(0));
    assertEquals(expected, fingerprint(), "every row, unchanged");
    List<String> partitions = new ArrayList<>();
    pool.query(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = '"
                + schema
                + ".feature_history'::regclass ORDER BY 1")
        .execute()
        .await()
        .forEach(r -> partitions.add(r.getString(0)));
    assertEquals(24, partitions.size(), partitions.toString());
    assertEquals("feature_history_2024_01", partitions.get(0));
    assertEquals("feature_history_2025_12", partitions.get(23));
    // January 2024 holds the events g * 63 s < 31 days: g = 0 .. 42,514.
    assertEquals(
        42_515L,
        pool.query("SELECT count(*) FROM " + schema + ".feature_history_2024_01")
            .execute()
            .await()
            .iterator()
            .next()
            .getLong(0));
    assertNull(
        pool.query("SELECT to_regclass('" + schema + ".feature_history_unpartitioned')")
            .execute()
            .await()
            .iterator()
            .next()
            .getValue(0));

    // g = 3 * 1000 + 0: entity 1000 of 'profile', at 2024-01-01 + 189,000 s.
    FreshetOptions options =
        FreshetOptions.fromEnv(System.getenv())
            .httpHost("127.0.0.1")
            .httpPort(FreshetFixture.freePort())
            .schemasDir(FreshetFixture.TEST_SCHEMAS)
            .redisUrl(FreshetFixture.TEST_REDIS_URL)
            .pgSchema(schema)
            .redisKeyPrefix("freshet-test:" + schema + ":")
            .healthInterval(Duration.ofHours(1))
            .eventLoops(1)
            .writeToken(null)
            .readToken(null);
    FreshetFixture f =
        FreshetFixture.startWith(vertx, options, new MutableClock(FreshetFixture.T0));
    try {
      Api.Response answer = f.api.get("/v1/features/profile/1000?at=2024-01-03T04:30:00Z");
      assertEquals(200, answer.status(), answer.body().toString());
      JsonObject values = answer.json().getJsonObject("values");
      assertEquals(3000 % 90, values.getInteger("age"));
      assertEquals("2024-01-03T04:30:00Z", answer.json().getString("event_timestamp"));
    } finally {
      f.stop();
    }
  }
}
