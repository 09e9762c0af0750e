import io.freshet.freshness.FreshnessClassifier;
import io.freshet.freshness.FreshnessPolicy;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.Status;
import io.freshet.registry.EntityDef;
import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.FreshnessSla;
import io.freshet.registry.OnRotten;
import io.freshet.model.ValueType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CPU cost of Freshet's SLA classification for one online request of 1 entity x 10 features:
 * ten calls of {@link FreshnessClassifier#classify} per "request", timed over many requests after
 * a warm-up, in this JVM alone (compiled and run against freshet.jar by classification.sh).
 *
 * <p>Cases, each printed as one {@code CLASSIFY_RESULT} line with the median of the rounds:
 *
 * <ul>
 *   <li>{@code fresh}: ten values all FRESH, as in the benchmark's read load (seeded minutes ago);
 *   <li>{@code mixed}: ten values spread over FRESH, STALE, ROTTEN and MISSING, so the branches are
 *       not all predicted the same way;
 *   <li>{@code loop}: the same loop and sink with the classify call replaced by a subtraction, the
 *       harness's own overhead (not subtracted from the others: they are upper bounds);
 *   <li>{@code meter}: {@code fresh} plus the read meters of each value (the per-status read
 *       counter and the served-age histogram, as a read updates them for one record's value),
 *       for context only: that metering is a separate cost from classification.
 * </ul>
 *
 * <p>Usage: {@code java -cp freshet.jar:DIR ClassifyBench [requests-per-round] [rounds]}
 */
public final class ClassifyBench {

  private static final int VALUES = 10;
  private static long sink;

  public static void main(String[] args) {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;

    EntityDef customer = new EntityDef("customer", "customer_id", ValueType.INT64, null);
    // The churn views' ttl and SLA (schemas/churn.yaml): the ones the benchmark's reads classify.
    long hour = 3_600_000L;
    FeatureView profile =
        view("customer_profile", customer, 4, 720 * hour, 24 * hour, 72 * hour, OnRotten.SERVE);
    FeatureView activity =
        view("customer_activity", customer, 3, 48 * hour, hour, 6 * hour, OnRotten.NULLIFY);
    FeatureView support =
        view("customer_support", customer, 3, 168 * hour, 2 * hour, 24 * hour, OnRotten.SERVE);
    FeatureView[] views = {
      profile, profile, profile, profile, activity, activity, activity, support, support, support
    };
    long now = 1_800_000_000_000_000L;
    long minute = 60_000_000L;
    long[] freshAges = new long[VALUES];
    Arrays.fill(freshAges, 10 * minute);
    long day = 1440 * minute;
    long[] mixedAges = { // FRESH STALE ROTTEN MISSING | FRESH STALE ROTTEN | FRESH STALE MISSING
      60 * minute, 2 * day, 5 * day, 31 * day, 30 * minute, 180 * minute, day,
      10 * minute, 720 * minute, 8 * day
    };
    long[] fresh = events(now, freshAges);
    long[] mixed = events(now, mixedAges);
    printStatuses(views, mixed, now);

    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FreshetMetrics metrics =
        new FreshetMetrics(
            prometheus, List.of("customer_profile", "customer_activity", "customer_support"));

    String[] cases = {"fresh", "mixed", "loop", "meter"};
    // Warm-up: every case, interleaved, until the JIT has compiled the loops.
    for (int w = 0; w < 3; w++) {
      for (String c : cases) {
        run(c, views, fresh, mixed, now, c.equals("meter") ? requests / 50 : requests / 2, metrics);
      }
    }
    for (String c : cases) {
      // The metered case is about 100 times slower per request: fewer requests, same rounds.
      int n = c.equals("meter") ? Math.max(1, requests / 50) : requests;
      List<Double> perRequest = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        run(c, views, fresh, mixed, now, n, metrics);
        perRequest.add((System.nanoTime() - start) / (double) n);
      }
      perRequest.sort(null);
      System.out.printf(
          "CLASSIFY_RESULT case=%s values_per_request=%d requests=%d rounds=%d"
              + " ns_per_request=%.2f ns_per_request_min=%.2f ns_per_request_max=%.2f%n",
          c,
          VALUES,
          n,
          rounds,
          perRequest.get(rounds / 2),
          perRequest.get(0),
          perRequest.get(rounds - 1));
    }
    System.out.println("sink " + sink);
  }

  private static void run(
      String c,
      FeatureView[] views,
      long[] fresh,
      long[] mixed,
      long now,
      int requests,
      FreshetMetrics metrics) {
    switch (c) {
      case "fresh" -> sink += classifyAll(views, fresh, now, requests);
      case "mixed" -> sink += classifyAll(views, mixed, now, requests);
      case "loop" -> sink += loopOnly(views, fresh, now, requests);
      case "meter" -> sink += classifyAndMeter(views, fresh, now, requests, metrics);
      default -> throw new IllegalArgumentException(c);
    }
  }

  /** The clock advances one microsecond per request, as a real clock would between requests. */
  private static long classifyAll(FeatureView[] views, long[] events, long now, int requests) {
    long acc = 0;
    for (int r = 0; r < requests; r++) {
      long t = now + r;
      for (int i = 0; i < VALUES; i++) {
        acc += FreshnessClassifier.classify(views[i], events[i], t).ordinal();
      }
    }
    return acc;
  }

  private static long loopOnly(FeatureView[] views, long[] events, long now, int requests) {
    long acc = 0;
    for (int r = 0; r < requests; r++) {
      long t = now + r;
      for (int i = 0; i < VALUES; i++) {
        acc += (t - events[i]) & 3;
      }
    }
    return acc + views.length;
  }

  private static long classifyAndMeter(
      FeatureView[] views, long[] events, long now, int requests, FreshetMetrics metrics) {
    long acc = 0;
    for (int r = 0; r < requests; r++) {
      long t = now + r;
      for (int i = 0; i < VALUES; i++) {
        Status s = FreshnessClassifier.classify(views[i], events[i], t);
        metrics
            .viewReads(views[i].name())
            .served(FreshnessPolicy.meta(views[i], events[i], "hot", t), 1);
        acc += s.ordinal();
      }
    }
    return acc;
  }

  private static FeatureView view(
      String name,
      EntityDef entity,
      int features,
      long ttlMs,
      long freshMs,
      long staleMs,
      OnRotten onRotten) {
    List<FeatureDef> defs = new ArrayList<>();
    for (int i = 0; i < features; i++) {
      defs.add(new FeatureDef("f" + i, ValueType.INT64, false, null, null, List.of(), null));
    }
    return new FeatureView(
        name, entity, null, ttlMs, new FreshnessSla(freshMs, staleMs, onRotten), defs);
  }

  private static long[] events(long now, long[] ages) {
    long[] events = new long[ages.length];
    for (int i = 0; i < ages.length; i++) {
      events[i] = now - ages[i];
    }
    return events;
  }

  private static void printStatuses(FeatureView[] views, long[] events, long now) {
    StringBuilder line = new StringBuilder("mixed case statuses:");
    for (int i = 0; i < VALUES; i++) {
      line.append(' ').append(FreshnessClassifier.classify(views[i], events[i], now));
    }
    System.out.println(line);
  }
}
