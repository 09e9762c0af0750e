package io.freshet.loadtest;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.function.LongSupplier;

/**
 * Single-entity online reads, ten churn features, keys Zipf-skewed over the seeded customers (most
 * reads land on a few thousand popular customers, which the hot tier keeps). Every answer must be
 * 200 with no MISSING value: the dataset is seeded, so a MISSING means a lost or unread record.
 */
public class OnlineHotSimulation extends Simulation {

  static final String READ = "online 1x10";

  private final LongSupplier keys =
      Keys.of(
          Settings.string("keys", "zipf"), Settings.entities(), Settings.doubleValue("zipf", 1.0));

  {
    setUp(Phases.warmedUp(this::reads, Settings.rate(1000), Settings.duration(60)))
        .protocols(FreshetHttp.protocol())
        .assertions(Phases.bounds(Settings.p99Ms(10), READ));
  }

  private ScenarioBuilder reads(String prefix) {
    return FreshetHttp.singleReads(prefix + "hot reads", prefix + READ, keys);
  }
}
