package io.freshet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Batched online reads of the 50-feature service {@code churn_behaviour_v1}: each batch size in
 * {@code -DbatchSizes} (default 10,100) with each {@code -Dmetas} mode (default full,status), one
 * after the other at the same arrival rate, each measured and bounded on its own. Keys are uniform
 * over the seeded customers by default ({@code -Dkeys=zipf} for a skewed mix). Only the status is
 * checked: decoding and scanning up to 850 kB per answer would take the load generator's CPU from
 * the server it shares the machine with.
 */
public class OnlineBatchSimulation extends Simulation {

  private final LongSupplier keys =
      Keys.of(
          Settings.string("keys", "uniform"),
          Settings.entities(),
          Settings.doubleValue("zipf", 1.0));
  private final String selector = Bodies.service(Settings.string("service", "churn_behaviour_v1"));

  {
    double rate = Settings.rate(100);
    Duration duration = Settings.duration(30);
    List<String> names = new ArrayList<>();
    List<PopulationBuilder> steps = new ArrayList<>();
    for (String size : Settings.string("batchSizes", "10,100").split(",")) {
      for (String meta : Settings.string("metas", "full,status").split(",")) {
        int entities = Integer.parseInt(size.trim());
        String name = "batch " + entities + " meta=" + meta.trim();
        if (steps.isEmpty()) {
          steps.addAll(Phases.warmUp(p -> batches(p, name, entities, meta.trim())));
        }
        names.add(name);
        steps.add(Phases.inject(batches("", name, entities, meta.trim()), rate, duration));
      }
    }
    setUp(Phases.inSequence(steps))
        .protocols(FreshetHttp.protocol())
        .assertions(Phases.bounds(Settings.p99Ms(20), names.toArray(String[]::new)));
  }

  private ScenarioBuilder batches(String prefix, String name, int entities, String meta) {
    return scenario(prefix + name)
        .exec(
            FreshetHttp.read(
                    prefix + name,
                    "/v1/features/online",
                    session -> Bodies.online(selector, keys, entities, meta))
                .check(status().is(200)));
  }
}
