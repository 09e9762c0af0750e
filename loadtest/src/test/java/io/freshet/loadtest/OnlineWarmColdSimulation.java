package io.freshet.loadtest;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.function.LongSupplier;

/**
 * Single-entity online reads, ten churn features, keys uniform over every seeded customer. With
 * 1,000,000 customers the three churn views hold 3,000,000 records against a hot bound of 1,000,000
 * ({@code FRESHET_HOT_MAX_ENTRIES}), so most values come from Redis (and from Postgres for whatever
 * Redis lost). Run the server with a smaller hot bound to push more of them down.
 */
public class OnlineWarmColdSimulation extends Simulation {

  static final String READ = "online 1x10 uniform";

  private final LongSupplier keys = Keys.uniform(Settings.entities());

  {
    setUp(Phases.warmedUp(this::reads, Settings.rate(1000), Settings.duration(60)))
        .protocols(FreshetHttp.protocol())
        .assertions(Phases.bounds(Settings.p99Ms(20), READ));
  }

  private ScenarioBuilder reads(String prefix) {
    return FreshetHttp.singleReads(prefix + "uniform reads", prefix + READ, keys);
  }
}
