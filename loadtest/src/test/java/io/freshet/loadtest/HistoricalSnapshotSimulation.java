package io.freshet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Training jobs and serving on one Freshet: online reads (as in {@link OnlineHotSimulation}) at a
 * constant rate, first alone for {@code -Dduration}, then for as long again while {@code
 * -DsnapshotUsers} training jobs pull point-in-time snapshots back to back ({@code -DsnapshotRows}
 * label rows of random seeded customers, {@code churn_v1}). The online p99 during the snapshots is
 * what is bounded; the run alone is the baseline it is compared with.
 */
public class HistoricalSnapshotSimulation extends Simulation {

  static final String ALONE = "online 1x10 alone";
  static final String DURING = "online 1x10 during snapshots";
  static final String SNAPSHOT = "snapshot";

  private final LongSupplier keys =
      Keys.of(
          Settings.string("keys", "zipf"), Settings.entities(), Settings.doubleValue("zipf", 1.0));
  private final String snapshotBody = snapshotBody(Settings.intValue("snapshotRows", 10_000));

  {
    double rate = Settings.rate(500);
    Duration duration = Settings.duration(60);
    List<PopulationBuilder> steps = new ArrayList<>(Phases.warmUp(p -> reads(p + ALONE)));
    steps.add(
        Phases.inject(reads(ALONE), rate, duration)
            .andThen(
                Phases.inject(reads(DURING), rate, duration),
                snapshots()
                    .injectClosed(
                        constantConcurrentUsers(Settings.intValue("snapshotUsers", 2))
                            .during(duration))));
    setUp(Phases.inSequence(steps))
        .protocols(FreshetHttp.protocol())
        .assertions(Phases.bounds(Settings.p99Ms(20), DURING));
  }

  private ScenarioBuilder reads(String name) {
    return scenario(name)
        .exec(
            FreshetHttp.read(
                    name,
                    "/v1/features/online",
                    session -> Bodies.online(Bodies.CHURN_10, keys, 1, "full"))
                .check(status().is(200), substring("MISSING").notExists()));
  }

  /** Training jobs pulling whole snapshots; a failed one shows as an error line in the body. */
  private ScenarioBuilder snapshots() {
    return scenario("training jobs")
        .exec(
            FreshetHttp.read(SNAPSHOT, "/v1/features/historical", session -> snapshotBody)
                .check(
                    status().is(200),
                    header("X-Snapshot-Id").exists(),
                    substring("\"error\"").notExists()));
  }

  /** Label rows timed now: every seeded value is then known and inside its ttl. */
  private String snapshotBody(int rows) {
    String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    long entities = Settings.entities();
    return LongStream.range(0, rows)
        .mapToObj(
            i ->
                "{\"customer_id\":"
                    + ThreadLocalRandom.current().nextLong(1, entities + 1)
                    + ",\"timestamp\":\""
                    + timestamp
                    + "\"}")
        .collect(
            Collectors.joining(
                ",", "{\"feature_service\":\"churn_v1\",\"format\":\"jsonl\",\"rows\":[", "]}"));
  }
}
