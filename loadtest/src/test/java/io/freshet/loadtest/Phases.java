package io.freshet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * How load is injected and judged. Latency figures come from the open model (a constant arrival
 * rate: a slow server meets more concurrent requests, so queueing shows in the percentiles); the
 * closed model ({@code -Dusers=N}: N users each sending as soon as its last answer arrived) finds
 * the highest rate. A warm-up copy of the scenario runs first, its requests named {@value
 * #WARM_UP}NAME, so the JIT and the tiers are warm when the measured requests start.
 */
final class Phases {

  static final String WARM_UP = "warm-up: ";

  private Phases() {}

  /** The scenario's warm-up copy (unless {@code -Dwarmup=0}), then the measured one. */
  static PopulationBuilder warmedUp(
      Function<String, ScenarioBuilder> scenario, double rate, Duration duration) {
    List<PopulationBuilder> steps = new ArrayList<>(warmUp(scenario));
    steps.add(inject(scenario.apply(""), rate, duration));
    return inSequence(steps);
  }

  /**
   * The scenario's warm-up copy, or nothing with {@code -Dwarmup=0}: always a closed model ({@code
   * -DwarmupUsers}, default 8, or {@code -Dusers}), which can only go as fast as the server
   * answers. An open model against a cold JIT and an empty hot tier queues far more requests than
   * it will once warm, and Freshet, which sheds no load, does not recover from that within a run
   * (see BENCHMARKS.md).
   */
  static List<PopulationBuilder> warmUp(Function<String, ScenarioBuilder> scenario) {
    Duration warmup = Settings.warmup();
    if (warmup.isZero()) {
      return List.of();
    }
    int users = Settings.users() > 0 ? Settings.users() : Settings.intValue("warmupUsers", 8);
    Duration half = warmup.dividedBy(2);
    return List.of(
        scenario
            .apply(WARM_UP)
            .injectClosed(
                rampConcurrentUsers(1).to(users).during(half),
                constantConcurrentUsers(users).during(warmup.minus(half))));
  }

  /**
   * Each step starts when the one before has finished. {@code andThen} attaches children to the
   * builder it is called on, so the chain is nested from its tail.
   */
  static PopulationBuilder inSequence(List<PopulationBuilder> steps) {
    PopulationBuilder chain = steps.get(steps.size() - 1);
    for (int i = steps.size() - 2; i >= 0; i--) {
      chain = steps.get(i).andThen(chain);
    }
    return chain;
  }

  /** Open model at {@code rate}, or the closed model when {@code -Dusers} is set. */
  static PopulationBuilder inject(ScenarioBuilder scenario, double rate, Duration duration) {
    int users = Settings.users();
    return users > 0
        ? scenario.injectClosed(constantConcurrentUsers(users).during(duration))
        : scenario.injectOpen(constantUsersPerSec(rate).during(duration));
  }

  /** p99 within {@code -Dp99Ms} and successes at least {@code -DsuccessPct}, per request name. */
  static List<Assertion> bounds(int p99Ms, String... requests) {
    return Arrays.stream(requests)
        .flatMap(
            name ->
                Stream.of(
                    details(name).responseTime().percentile(99.0).lte(p99Ms),
                    details(name).successfulRequests().percent().gte(Settings.successPct())))
        .toList();
  }
}
