package io.freshet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Windowed aggregations under load: writers send events of {@code -Dpairs} cards ({@code
 * -DwriteRate}, a batch of {@code -DeventsPerWrite} events of one card, p99 bound {@code
 * -DwriteP99Ms}) to the event view {@code -Dview} (default {@code card_transactions} of
 * schemas/fraud.yaml) while readers read the card's {@code -DcountFeature} ({@code -Drate}, {@code
 * -Dp99Ms}), both open-model. A reader takes the number of its card's events acknowledged so far
 * before it sends its read; the count it gets back must be at least that, or an acknowledged event
 * was lost or not yet in the aggregation. Events are stamped a millisecond before they are sent, so
 * each is inside the window ending at the read. The cards are new to every run (a random prefix),
 * so nothing older counts.
 */
public class EventAggregationSimulation extends Simulation {

  static final String WRITE = "ingest events";
  static final String READ = "read own counts";

  private final String view = Settings.string("view", "card_transactions");
  private final String feature = view + ":" + Settings.string("countFeature", "txn_count_1h");
  private final String joinKey = Settings.string("joinKey", "card_id");
  private final int eventsPerWrite = Settings.intValue("eventsPerWrite", 5);
  private final String runPrefix = "lt-" + Long.toString(System.nanoTime(), 36) + "-";
  private final AtomicLongArray acknowledged =
      new AtomicLongArray(Settings.intValue("pairs", 100));

  {
    Duration duration = Settings.duration(60);
    List<Assertion> bounds = new ArrayList<>(Phases.bounds(Settings.p99Ms(20), READ));
    bounds.addAll(Phases.bounds(Settings.intValue("writeP99Ms", 100), WRITE));
    setUp(
            Phases.warmedUp(this::writers, Settings.doubleValue("writeRate", 50), duration),
            Phases.warmedUp(this::readers, Settings.rate(200), duration))
        .protocols(FreshetHttp.protocol())
        .assertions(bounds);
  }

  private ScenarioBuilder writers(String prefix) {
    return scenario(prefix + "writers")
        .exec(session -> session.set("pair", randomPair()))
        .exec(
            FreshetHttp.write(prefix + WRITE, "/v1/ingest/" + view, this::events)
                .check(status().is(200)))
        .exec(
            session -> {
              if (!session.isFailed()) {
                acknowledged.addAndGet(session.getInt("pair"), eventsPerWrite);
              }
              return session;
            });
  }

  private ScenarioBuilder readers(String prefix) {
    return scenario(prefix + "readers")
        .exec(
            session -> {
              int pair = randomPair();
              return session.set("pair", pair).set("floor", acknowledged.get(pair));
            })
        .exec(
            FreshetHttp.read(prefix + READ, "/v1/features/online", this::read)
                .check(
                    status().is(200),
                    jmesPath("results[0].values.\"" + feature + "\"")
                        .ofLong()
                        .gte(session -> session.getLong("floor"))
                        .name("count not below the events acknowledged before the read")));
  }

  private int randomPair() {
    return ThreadLocalRandom.current().nextInt(acknowledged.length());
  }

  private String card(Session session) {
    return runPrefix + session.getInt("pair");
  }

  private String read(Session session) {
    return "{"
        + Bodies.features(List.of(feature))
        + ",\"entities\":{\""
        + joinKey
        + "\":[\""
        + card(session)
        + "\"]}}";
  }

  private String events(Session session) {
    String at =
        Instant.now().minus(1, ChronoUnit.MILLIS).truncatedTo(ChronoUnit.MICROS).toString();
    StringBuilder body = new StringBuilder("{\"rows\":[");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < eventsPerWrite; i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"")
          .append(joinKey)
          .append("\":\"")
          .append(card(session))
          .append("\",\"event_timestamp\":\"")
          .append(at)
          .append("\",\"amount\":")
          .append(random.nextInt(1, 50_000) / 100.0)
          .append(",\"merchant_category\":\"m")
          .append(random.nextInt(20))
          .append("\"}");
    }
    return body.append("]}").toString();
  }
}
