package io.freshet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
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
 * so nothing older counts; one first batch writes events of every card.
 */
public class EventAggregationSimulation extends Simulation {

  static final String WRITE = "ingest events";
  static final String READ = "read own counts";

  private final String view = Settings.string("view", "card_transactions");
  private final String feature = view + ":" + Settings.string("countFeature", "txn_count_1h");
  private final String joinKey = Settings.string("joinKey", "card_id");
  private final String categoryField = Settings.string("categoryField", "merchant_id");
  private final int eventsPerWrite = Settings.intValue("eventsPerWrite", 5);
  private final String runPrefix = "lt-" + Long.toString(System.nanoTime(), 36) + "-";
  private final AtomicLongArray acknowledged =
      new AtomicLongArray(Settings.intValue("pairs", 100));

  {
    Duration duration = Settings.duration(60);
    List<Assertion> bounds = new ArrayList<>(Phases.bounds(Settings.p99Ms(20), READ));
    bounds.addAll(Phases.bounds(Settings.intValue("writeP99Ms", 100), WRITE));
    setUp(
            prime()
                .injectOpen(atOnceUsers(1))
                .andThen(
                    Phases.warmedUp(this::writers, Settings.doubleValue("writeRate", 50), duration),
                    Phases.warmedUp(this::readers, Settings.rate(200), duration)))
        .protocols(FreshetHttp.protocol())
        .assertions(bounds);
  }

  /**
   * One batch with events of every card, so that every read has a count to check and the view a
   * stream whose lag is fresh (fraud.yaml's view rejects reads of a stalled one).
   */
  private ScenarioBuilder prime() {
    return scenario("first events of every card")
        .exec(
            FreshetHttp.write(
                    "ingest every card",
                    "/v1/ingest/" + view,
                    session -> {
                      StringBuilder rows = new StringBuilder();
                      for (int pair = 0; pair < acknowledged.length(); pair++) {
                        rows.append(rows.length() == 0 ? "" : ",").append(events(pair));
                      }
                      return "{\"rows\":[" + rows + "]}";
                    })
                .check(status().is(200)))
        .exec(
            session -> {
              if (!session.isFailed()) {
                for (int pair = 0; pair < acknowledged.length(); pair++) {
                  acknowledged.addAndGet(pair, eventsPerWrite);
                }
              }
              return session;
            });
  }

  private ScenarioBuilder writers(String prefix) {
    return scenario(prefix + "writers")
        .exec(session -> session.set("pair", randomPair()))
        .exec(
            FreshetHttp.write(
                    prefix + WRITE,
                    "/v1/ingest/" + view,
                    session -> "{\"rows\":[" + events(session.getInt("pair")) + "]}")
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

  private String card(int pair) {
    return runPrefix + pair;
  }

  private String read(Session session) {
    return "{"
        + Bodies.features(List.of(feature))
        + ",\"entities\":{\""
        + joinKey
        + "\":[\""
        + card(session.getInt("pair"))
        + "\"]}}";
  }

  /** The card's next {@code eventsPerWrite} events, as rows of an ingest body. */
  private String events(int pair) {
    String at =
        Instant.now().minus(1, ChronoUnit.MILLIS).truncatedTo(ChronoUnit.MICROS).toString();
    StringBuilder rows = new StringBuilder();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < eventsPerWrite; i++) {
      if (i > 0) {
        rows.append(',');
      }
      rows.append("{\"")
          .append(joinKey)
          .append("\":\"")
          .append(card(pair))
          .append("\",\"event_timestamp\":\"")
          .append(at)
          .append("\",\"amount\":")
          .append(random.nextInt(1, 50_000) / 100.0)
          .append(",\"")
          .append(categoryField)
          .append("\":\"m")
          .append(random.nextInt(20))
          .append("\"}");
    }
    return rows.toString();
  }
}
