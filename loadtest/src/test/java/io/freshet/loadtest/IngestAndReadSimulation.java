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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Freshness under load: writers ingest one {@code customer_activity} row at a time ({@code
 * -DwriteRate}, p99 bound {@code -DwriteP99Ms}) while readers read it back ({@code -Drate}, {@code
 * -Dp99Ms}), both open-model, over {@code -Dpairs} customers each with its own writer and reader
 * (see {@link AcknowledgedWrites}). Every read must be FRESH and never older than what its writer
 * had acknowledged before the read was sent: its {@code event_timestamp} and its {@code
 * sessions_7d} (the writer's sequence) at least the floor. The pairs' customers ({@value
 * #FIRST_PAIR_ID} and up) are outside any seeded range, and one first batch writes every pair so
 * each read has something to check.
 */
public class IngestAndReadSimulation extends Simulation {

  static final String WRITE = "ingest 1 row";
  static final String READ = "read own writes";
  static final long FIRST_PAIR_ID = 1_000_000_000L;
  private static final String FEATURE = "customer_activity:sessions_7d";
  private static final String SELECTOR =
      Bodies.features(
          List.of(FEATURE, "customer_activity:minutes_7d", "customer_activity:last_login_days"));

  private final AcknowledgedWrites writes = new AcknowledgedWrites(Settings.intValue("pairs", 100));

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

  /** One batch writing every pair once; acknowledged as a whole. */
  private ScenarioBuilder prime() {
    return scenario("first write of every pair")
        .exec(
            session ->
                session.set(
                    "writes", IntStream.range(0, writes.pairs()).mapToObj(writes::next).toList()))
        .exec(
            FreshetHttp.write(
                    "ingest every pair",
                    "/v1/ingest/customer_activity",
                    session -> rows(session.getList("writes")))
                .check(status().is(200)))
        .exec(
            session -> {
              if (!session.isFailed()) {
                session.<AcknowledgedWrites.Write>getList("writes").forEach(writes::acknowledged);
              }
              return session;
            });
  }

  private ScenarioBuilder writers(String prefix) {
    return scenario(prefix + "writers")
        .exec(session -> session.set("write", writes.next(randomPair())))
        .exec(
            FreshetHttp.write(
                    prefix + WRITE,
                    "/v1/ingest/customer_activity",
                    session -> {
                      AcknowledgedWrites.Write write = session.get("write");
                      return rows(List.of(write));
                    })
                .check(status().is(200)))
        .exec(
            session -> {
              if (!session.isFailed()) {
                writes.acknowledged(session.get("write"));
              }
              return session;
            });
  }

  private ScenarioBuilder readers(String prefix) {
    String meta = "results[0].meta.\"" + FEATURE + "\".";
    return scenario(prefix + "readers")
        .exec(
            session -> {
              int pair = randomPair();
              return session
                  .set("pair", pair)
                  .set("floorMicros", writes.floorMicros(pair))
                  .set("floorSequence", writes.floorSequence(pair));
            })
        .exec(
            FreshetHttp.read(prefix + READ, "/v1/features/online", IngestAndReadSimulation::read)
                .check(
                    status().is(200),
                    jmesPath(meta + "status").is("FRESH"),
                    jmesPath(meta + "event_timestamp")
                        .transformWithSession(
                            (ts, session) ->
                                AcknowledgedWrites.micros(ts) >= session.getLong("floorMicros"))
                        .is(true)
                        .name("event_timestamp not older than the acknowledged write"),
                    jmesPath("results[0].values.\"" + FEATURE + "\"")
                        .ofLong()
                        .gte(session -> session.getLong("floorSequence"))
                        .name("sequence not below the acknowledged write")));
  }

  private int randomPair() {
    return ThreadLocalRandom.current().nextInt(writes.pairs());
  }

  private static String read(Session session) {
    long customer = FIRST_PAIR_ID + session.getInt("pair");
    return Bodies.online(SELECTOR, () -> customer, 1, "full");
  }

  private static String rows(List<AcknowledgedWrites.Write> batch) {
    return batch.stream()
        .map(
            w ->
                "{\"customer_id\":"
                    + (FIRST_PAIR_ID + w.pair())
                    + ",\"event_timestamp\":\""
                    + AcknowledgedWrites.iso(w.eventMicros())
                    + "\",\"sessions_7d\":"
                    + w.sequence()
                    + ",\"minutes_7d\":"
                    + w.sequence() % 900
                    + ".5,\"last_login_days\":0}")
        .collect(Collectors.joining(",", "{\"rows\":[", "]}"));
  }
}
