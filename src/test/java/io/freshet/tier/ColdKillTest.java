package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MixedLoad;
import io.freshet.testing.PgCluster;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Postgres cluster of the test's own whose postmaster is SIGKILLed in the middle of a mixed
 * read/write load and started again (crash recovery included), under one Freshet that is never
 * restarted.
 */
@ExtendWith(VertxExtension.class)
class ColdKillTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);

  private PgCluster cluster;
  private FreshetFixture f;

  @BeforeEach
  void start(Vertx vertx) {
    assumeTrue(PgCluster.available(), "pg_createcluster (postgresql-common) is not installed");
    cluster = new PgCluster();
    f =
        FreshetFixture.start(
            vertx, o -> o.pgUrl(cluster.url()).healthInterval(Duration.ofMillis(50)));
  }

  @AfterEach
  void stop() {
    try {
      if (f != null) {
        f.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Test
  @Timeout(120)
  void postmasterKilledUnderLoad_ackedDurable_refusedAbsent_readsFromHotAndWarm_recovers(
      Vertx vertx) {
    MixedLoad load = new MixedLoad(vertx, f.freshet.port(), 4, 2, false);
    long down;
    long restarting;
    long cleared;
    try {
      await(
          load, "every writer acknowledged", () -> load.eachWriter(20, 0, b -> b.status() == 200));

      long killed = System.nanoTime();
      cluster.killPostmaster();
      await(load, "health said cold DOWN", () -> load.firstSeen("cold", "DOWN", killed) > 0);
      down = load.firstSeen("cold", "DOWN", killed);
      await(load, "every writer refused", () -> load.eachWriter(3, down, b -> b.status() == 503));

      cleared = System.nanoTime();
      f.clearHot();
      await(
          load,
          "a read answered from warm once hot was cleared",
          () ->
              load.reads().stream()
                  .anyMatch(r -> r.startNanos() > cleared && r.tiers().contains("warm")));
      Api.Response unknown = f.online(MixedLoad.readRequest(List.of(1L)));
      assertEquals(503, unknown.status());
      assertEquals("unavailable", unknown.error());
      Api.Response asOf = f.api.get("/v1/features/profile/" + MixedLoad.entity(0, 0));
      assertEquals(503, asOf.status());
      assertEquals("unavailable", asOf.error());

      restarting = System.nanoTime();
      cluster.start();
      await(load, "health said cold UP", () -> load.firstSeen("cold", "UP", restarting) > 0);
      long up = load.firstSeen("cold", "UP", restarting);
      await(
          load,
          "every writer acknowledged after recovery",
          () -> load.eachWriter(20, up, b -> b.status() == 200));
    } finally {
      load.close();
    }

    assertEquals(List.of(), load.violations());
    assertEquals(
        List.of("UP", "DOWN", "UP"),
        load.transitions("cold").stream().map(MixedLoad.Transition::state).toList());
    assertEquals(
        List.of("UP"), load.transitions("warm").stream().map(MixedLoad.Transition::state).toList());

    List<MixedLoad.Batch> outage =
        load.batches().stream()
            .filter(b -> b.startNanos() > down && b.endNanos() < restarting)
            .toList();
    assertTrue(outage.size() >= 12, "writes during the outage: " + outage.size());
    outage.forEach(b -> assertEquals(503, b.status(), "write during the outage: " + b));

    List<MixedLoad.Read> outageReads =
        load.reads().stream()
            .filter(r -> r.startNanos() > down && r.endNanos() < restarting)
            .toList();
    assertTrue(!outageReads.isEmpty(), "no read ran during the outage");
    for (MixedLoad.Read r : outageReads) {
      assertEquals(200, r.status(), "read during the outage: " + r);
      assertTrue(Set.of("hot", "warm").containsAll(r.tiers()), "read during the outage: " + r);
    }

    // The record of truth, read over a connection of the test's own: exactly the acknowledged
    // batches, whole, with their values and ingested_at; nothing of a refused one.
    List<String> acked = load.acknowledgedRows();
    assertEquals(acked, MixedLoad.storedRows(vertx, cluster.url(), f.options.pgSchema()));

    f.clearHot();
    load.assertLatest(f, "warm");
  }

  private void await(MixedLoad load, String what, java.util.function.BooleanSupplier condition) {
    assertTrue(
        f.eventually(WITHIN, condition),
        () -> what + " within " + WITHIN + "; load violations: " + load.violations());
  }
}
