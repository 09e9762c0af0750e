package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.aggregation.AggregateFunction;
import io.freshet.model.Timestamps;
import io.freshet.registry.AggregationDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.SchemaLoader;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Windowed aggregations against a brute-force oracle written straight from the definition (SCHEMAS
 * and DESIGN: {@code t − W ≤ event_timestamp < t}, ingested by the cutoff, or by the row's time as
 * known at the row), with its own exact arithmetic (BigDecimal, rounded once by the JDK's correctly
 * rounded parser). Random histories with events exactly at the window's edges and a microsecond
 * either side, late events, several events at one instant, null inputs, windows from 1s to 30d and
 * entities with no events. Doubles are compared as bits.
 *
 * <p>Three legs: as-of lookups, snapshots (as of the cutoff and as known at each row), and online
 * reads with the clock frozen at each batch's arrival and at instants that put an acknowledged
 * event exactly on a window's edge or a microsecond either side, time moving only forward, as it
 * does online (every card in each read, from whichever tier holds it).
 */
@ExtendWith(VertxExtension.class)
class AggregationOracleTest {

  private static final long SEED = Long.getLong("freshet.aggregation.seed", 16L);
  private static final String VIEW = "card_transactions";
  private static final int CARDS = 28;
  private static final int SILENT_CARDS = 4;
  private static final int LABEL_ROWS = 9_600;
  private static final int AS_OF_LOOKUPS = 500;
  private static final long SECOND = 1_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long DAY = 86_400 * SECOND;
  private static final MathContext WIDE = new MathContext(200);

  private static FreshetFixture f;
  private static long t0;
  private static List<AggregationDef> aggregations;
  private static final List<Event> EVENTS = new ArrayList<>();
  private static final Map<String, List<Event>> BY_CARD = new HashMap<>();
  private static final List<Label> LABELS = new ArrayList<>();
  private static long compared;
  private static final java.util.TreeSet<Long> EDGES = new java.util.TreeSet<>();
  private static final List<String> ONLINE_MISMATCHES = new ArrayList<>();
  private static long onlineValues;

  record Event(
      String card,
      long at,
      long ingested,
      int sequence,
      Double amount,
      String category,
      Long quantity) {}

  record Label(String card, long at) {}

  @BeforeAll
  @Timeout(300)
  static void ingestHistory(Vertx vertx) throws Exception {
    f = FreshetFixture.start(vertx, o -> o.schemasDir(FreshetFixture.EVENT_SCHEMAS));
    t0 = Timestamps.toMicros(FreshetFixture.T0);
    FeatureView view =
        SchemaLoader.load(FreshetFixture.EVENT_SCHEMAS).views().stream()
            .filter(v -> v.name().equals(VIEW))
            .findFirst()
            .orElseThrow();
    aggregations = view.aggregations();
    Random random = new Random(SEED);
    List<long[]> drafts = drafts(random);
    ingest(random, drafts);
    f.clock.set(FreshetFixture.T0);
    labels(random);
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  @Timeout(120)
  void snapshot_asOfTheCutoff_everyValueEqualsTheOracle() {
    compareSnapshot(false);
  }

  @Test
  @Timeout(120)
  void snapshot_asKnownAtEachRow_everyValueEqualsTheOracle() {
    compareSnapshot(true);
  }

  @Test
  @Timeout(120)
  void asOf_randomInstants_everyValueEqualsTheOracle() {
    Random random = new Random(SEED + 1);
    int values = 0;
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < AS_OF_LOOKUPS; i++) {
      Label label = LABELS.get(random.nextInt(LABELS.size()));
      Api.Response r =
          f.api.get(
              "/v1/features/" + VIEW + "/" + label.card() + "?at=" + Timestamps.format(label.at()));
      assertEquals(200, r.status(), r.body().toString());
      JsonObject body = r.json();
      assertEquals(Timestamps.format(label.at()), body.getString("window_end"));
      JsonObject got = body.getJsonObject("values");
      for (AggregationDef aggregation : aggregations) {
        Object expected = oracle(aggregation, label.card(), label.at(), false);
        values++;
        check(
            mismatches, "as-of " + label, aggregation, expected, got.getValue(aggregation.name()));
      }
    }
    compared += values;
    assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())));
    assertEquals(AS_OF_LOOKUPS * aggregations.size(), values);
  }

  @Test
  void online_frozenClock_everyValueEqualsTheOracle() {
    compared += onlineValues;
    assertEquals(
        List.of(),
        ONLINE_MISMATCHES.subList(0, Math.min(20, ONLINE_MISMATCHES.size())),
        ONLINE_MISMATCHES.size() + " mismatches");
    assertTrue(onlineValues >= 100_000, "only " + onlineValues + " values compared");
  }

  @AfterAll
  static void enoughCompared() {
    assertTrue(compared == 0 || compared >= 100_000, "compared only " + compared + " values");
  }

  private static void compareSnapshot(boolean asKnownAtRow) {
    JsonArray rows = new JsonArray();
    LABELS.forEach(
        l ->
            rows.add(
                new JsonObject()
                    .put("card_id", l.card())
                    .put("timestamp", Timestamps.format(l.at()))));
    JsonArray features = new JsonArray();
    aggregations.forEach(a -> features.add(VIEW + ":" + a.name()));
    JsonObject request =
        new JsonObject()
            .put("features", features)
            .put("rows", rows)
            .put("format", "jsonl")
            .put("as_known", asKnownAtRow ? "row" : "cutoff");
    Api.Response r = f.api.post("/v1/features/historical", request);
    assertEquals(200, r.status(), () -> r.body().toString());
    String[] lines = r.body().toString().split("\n");
    assertEquals(LABELS.size(), lines.length);
    List<String> mismatches = new ArrayList<>();
    int values = 0;
    for (int i = 0; i < lines.length; i++) {
      JsonObject row = new JsonObject(lines[i]);
      Label label = LABELS.get(i);
      assertEquals(label.card(), row.getString("card_id"));
      for (AggregationDef aggregation : aggregations) {
        Object expected = oracle(aggregation, label.card(), label.at(), asKnownAtRow);
        values++;
        check(
            mismatches,
            "row " + i + " " + label,
            aggregation,
            expected,
            row.getValue(VIEW + ":" + aggregation.name()));
      }
    }
    compared += values;
    assertEquals(
        List.of(),
        mismatches.subList(0, Math.min(20, mismatches.size())),
        mismatches.size() + " mismatches");
    assertTrue(values >= 100_000, "only " + values + " values compared");
  }

  private static void check(
      List<String> mismatches,
      String where,
      AggregationDef aggregation,
      Object expected,
      Object got) {
    boolean same;
    if (expected == null || got == null) {
      same = expected == got;
    } else if (expected instanceof Double) {
      same =
          got instanceof Number
              && Double.doubleToRawLongBits((Double) expected)
                  == Double.doubleToRawLongBits(((Number) got).doubleValue());
    } else if (expected instanceof Long) {
      same =
          got instanceof Number
              && ((Number) got).longValue() == (Long) expected
              && !(got instanceof Double);
    } else {
      same = expected.equals(got);
    }
    if (!same) {
      mismatches.add(where + " " + aggregation.name() + ": expected " + expected + " got " + got);
    }
  }

  // ---- the oracle: straight from the definition ----

  private static Object oracle(
      AggregationDef aggregation, String card, long at, boolean asKnownAtRow) {
    List<Event> inside = new ArrayList<>();
    for (Event e : BY_CARD.getOrDefault(card, List.of())) {
      if (e.at() >= at - aggregation.windowMicros()
          && e.at() < at
          && (!asKnownAtRow || e.ingested() <= at)) {
        inside.add(e);
      }
    }
    if (aggregation.function() == AggregateFunction.COUNT) {
      return (long) inside.size();
    }
    List<Event> withValue = new ArrayList<>();
    for (Event e : inside) {
      if (input(aggregation, e) != null) {
        withValue.add(e);
      }
    }
    boolean integers = aggregation.of().equals("quantity");
    switch (aggregation.function()) {
      case COUNT_DISTINCT:
        Set<Object> distinct = new HashSet<>();
        withValue.forEach(e -> distinct.add(input(aggregation, e)));
        return (long) distinct.size();
      case SUM:
        if (integers) {
          long sum = 0;
          for (Event e : withValue) {
            sum += e.quantity();
          }
          return sum;
        }
        return Double.parseDouble(exactSum(withValue, aggregation, false).toString());
      case MEAN:
        if (withValue.isEmpty()) {
          return null;
        }
        return Double.parseDouble(
            divide(exactSum(withValue, aggregation, false), BigDecimal.valueOf(withValue.size()))
                .toString());
      case STDDEV:
        if (withValue.isEmpty()) {
          return null;
        }
        BigDecimal n = BigDecimal.valueOf(withValue.size());
        BigDecimal s = exactSum(withValue, aggregation, false);
        BigDecimal q = exactSum(withValue, aggregation, true);
        BigDecimal variance = divide(q.multiply(n).subtract(s.multiply(s)), n.multiply(n));
        return Double.parseDouble(variance.sqrt(WIDE).toString());
      case MIN:
      case MAX:
        Object best = null;
        for (Event e : withValue) {
          Object v = input(aggregation, e);
          @SuppressWarnings("unchecked")
          int order = best == null ? 0 : ((Comparable<Object>) v).compareTo(best);
          if (best == null
              || (aggregation.function() == AggregateFunction.MIN ? order < 0 : order > 0)) {
            best = v;
          }
        }
        return best;
      default:
        return withValue.stream()
            .max(
                Comparator.comparingLong(Event::at)
                    .thenComparingLong(Event::ingested)
                    .thenComparingInt(Event::sequence))
            .map(e -> input(aggregation, e))
            .orElse(null);
    }
  }

  private static Object input(AggregationDef aggregation, Event e) {
    switch (aggregation.of()) {
      case "amount":
        return e.amount();
      case "merchant_category":
        return e.category();
      default:
        return e.quantity();
    }
  }

  private static BigDecimal exactSum(
      List<Event> events, AggregationDef aggregation, boolean squares) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Event e : events) {
      BigDecimal x =
          e.quantity() != null && aggregation.of().equals("quantity")
              ? BigDecimal.valueOf(e.quantity())
              : new BigDecimal(e.amount());
      sum = sum.add(squares ? x.multiply(x) : x);
    }
    return sum;
  }

  /** Exact when the quotient's decimal expansion ends (every double tie point's does). */
  private static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
    try {
      return dividend.divide(divisor);
    } catch (ArithmeticException nonTerminating) {
      return dividend.divide(divisor, WIDE);
    }
  }

  // ---- the history ----

  /**
   * Per event {card, time, arrival}: times uniform over 40 days, in clusters, and copies of earlier
   * times (several events at one instant); most arrive within two minutes, some days late.
   */
  private static List<long[]> drafts(Random random) {
    List<long[]> drafts = new ArrayList<>();
    long start = t0 - 40 * DAY;
    long end = t0 - 10 * MINUTE;
    for (int card = 0; card < CARDS; card++) {
      int count = card % 7 == 0 ? 1 + random.nextInt(3) : random.nextInt(260);
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        long at;
        int kind = random.nextInt(10);
        if (kind < 2 && !times.isEmpty()) {
          at = times.get(random.nextInt(times.size()));
        } else if (kind < 5 && !times.isEmpty()) {
          at =
              Math.min(
                  end, times.get(random.nextInt(times.size())) + random.nextInt(20) * SECOND / 2);
        } else {
          at = start + (long) (random.nextDouble() * (end - start));
        }
        times.add(at);
        long arrival =
            random.nextInt(10) == 0
                ? at + (long) (random.nextDouble() * 10 * DAY)
                : at + random.nextInt(120) * SECOND;
        drafts.add(new long[] {card, at, Math.min(arrival, end)});
      }
    }
    drafts.sort(Comparator.comparingLong(d -> d[2]));
    return drafts;
  }

  /**
   * Sends the events in batches in order of arrival, the clock at each batch's arrival; before each
   * batch, reads every card online at the edge instants passed since the last one, then at the
   * arrival itself once the batch is in.
   */
  private static void ingest(Random random, List<long[]> drafts) {
    int i = 0;
    while (i < drafts.size()) {
      int size = 1 + random.nextInt(random.nextInt(4) == 0 ? 3 : 90);
      List<long[]> batch = drafts.subList(i, Math.min(drafts.size(), i + size));
      long arrival = batch.get(batch.size() - 1)[2];
      for (Long edge = EDGES.pollFirst();
          edge != null && edge < arrival;
          edge = EDGES.pollFirst()) {
        readOnline(edge);
      }
      f.clock.set(Timestamps.toInstant(arrival));
      JsonArray rows = new JsonArray();
      List<Event> pending = new ArrayList<>();
      for (int k = 0; k < batch.size(); k++) {
        long[] d = batch.get(k);
        String card = card((int) d[0]);
        Double amount = random.nextInt(8) == 0 ? null : amount(random);
        String category = random.nextInt(5) == 0 ? null : "c" + random.nextInt(6);
        Long quantity = random.nextInt(6) == 0 ? null : quantity(random);
        JsonObject row =
            new JsonObject().put("card_id", card).put("event_timestamp", Timestamps.format(d[1]));
        row.put("amount", amount).put("merchant_category", category).put("quantity", quantity);
        rows.add(row);
        pending.add(new Event(card, d[1], 0, k, amount, category, quantity));
      }
      JsonObject ack =
          f.ingest(VIEW, rows.stream().map(JsonObject.class::cast).toArray(JsonObject[]::new));
      long ingested = Timestamps.parseMicros(ack.getString("ingested_at"));
      for (Event e : pending) {
        Event stored =
            new Event(
                e.card(), e.at(), ingested, e.sequence(), e.amount(), e.category(), e.quantity());
        EVENTS.add(stored);
        BY_CARD.computeIfAbsent(stored.card(), c -> new ArrayList<>()).add(stored);
        if (random.nextInt(4) == 0) {
          long window = aggregations.get(random.nextInt(aggregations.size())).windowMicros();
          long edge = stored.at() + window + random.nextInt(3) - 1;
          if (edge > arrival) {
            EDGES.add(edge);
          }
        }
      }
      readOnline(arrival);
      i += batch.size();
    }
    for (Long edge = EDGES.pollFirst(); edge != null; edge = EDGES.pollFirst()) {
      readOnline(edge);
    }
  }

  /** Every card's aggregations online with the clock at {@code at}, against the oracle. */
  private static void readOnline(long at) {
    f.clock.set(Timestamps.toInstant(at));
    JsonArray cards = new JsonArray();
    for (int card = 0; card < CARDS + SILENT_CARDS; card++) {
      cards.add(card(card));
    }
    JsonArray features = new JsonArray();
    aggregations.forEach(a -> features.add(VIEW + ":" + a.name()));
    Api.Response r =
        f.api.post(
            "/v1/features/online",
            new JsonObject()
                .put("features", features)
                .put("entities", new JsonObject().put("card_id", cards)));
    assertEquals(200, r.status(), () -> r.body().toString());
    JsonArray results = r.json().getJsonArray("results");
    for (int c = 0; c < cards.size(); c++) {
      JsonObject values = results.getJsonObject(c).getJsonObject("values");
      for (AggregationDef aggregation : aggregations) {
        onlineValues++;
        check(
            ONLINE_MISMATCHES,
            "online at " + Timestamps.format(at) + " " + cards.getString(c),
            aggregation,
            oracle(aggregation, cards.getString(c), at, false),
            values.getValue(VIEW + ":" + aggregation.name()));
      }
    }
  }

  private static double amount(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return 1e16 * (random.nextBoolean() ? 1 : -1);
      case 1:
        return random.nextInt(1000) * 1e-9;
      case 2:
        return (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(24) - 8);
      case 3:
        return 0.0;
      default:
        return random.nextInt(100_000) / 100.0;
    }
  }

  private static long quantity(Random random) {
    return random.nextInt(5) == 0 ? (random.nextLong() >> 20) : random.nextInt(20) - 5;
  }

  private static String card(int n) {
    return "card-" + n;
  }

  /**
   * Label times at the windows' edges of real events (the event's own time, one window later, and a
   * microsecond either side), at batches' ingestion (as known at the row), and anywhere.
   */
  private static void labels(Random random) {
    List<String> cards = new ArrayList<>(BY_CARD.keySet());
    cards.sort(null);
    long start = t0 - 41 * DAY;
    while (LABELS.size() < LABEL_ROWS) {
      int kind = random.nextInt(10);
      if (kind == 0) {
        String silent = card(CARDS + random.nextInt(SILENT_CARDS));
        LABELS.add(new Label(silent, start + (long) (random.nextDouble() * 41 * DAY)));
        continue;
      }
      String card = cards.get(random.nextInt(cards.size()));
      List<Event> events = BY_CARD.get(card);
      Event e = events.get(random.nextInt(events.size()));
      long jitter = random.nextInt(3) - 1;
      long at;
      if (kind < 4) {
        at = e.at() + jitter;
      } else if (kind < 8) {
        at = e.at() + aggregations.get(random.nextInt(aggregations.size())).windowMicros() + jitter;
      } else if (kind < 9) {
        at = e.ingested() + jitter;
      } else {
        at = start + (long) (random.nextDouble() * 41 * DAY);
      }
      LABELS.add(new Label(card, Math.min(at, t0 - 1)));
    }
  }

  @Test
  void history_hasTheCasesTheOracleIsFor() {
    assertTrue(EVENTS.size() > 2_000, "events: " + EVENTS.size());
    long sameInstant =
        EVENTS.stream()
            .filter(e -> BY_CARD.get(e.card()).stream().filter(o -> o.at() == e.at()).count() > 1)
            .count();
    assertTrue(sameInstant > 50, "events sharing an instant: " + sameInstant);
    long late = EVENTS.stream().filter(e -> e.ingested() - e.at() > DAY).count();
    assertTrue(late > 50, "late events: " + late);
    assertTrue(EVENTS.stream().anyMatch(e -> e.amount() == null), "null amounts");
    assertTrue(Objects.nonNull(Instant.EPOCH));
  }
}
