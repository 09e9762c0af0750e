package io.freshet.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Concurrent writers, readers and a health watcher against one Freshet, each on its own thread, for
 * fault tests. Writer {@code w} owns entities {@code 1000(w+1) + j} of view {@code profile} and
 * writes them all in every batch, so a half-written batch shows. Batch {@code seq} has event time
 * {@link #FIRST_EVENT} + seq ms and values derived from (seq, j), so any value read or stored names
 * the batch it came from. Every answer is recorded; readers check each value they get against what
 * was acknowledged before they asked.
 */
public final class MixedLoad implements AutoCloseable {

  public static final int ENTITIES_PER_WRITER = 3;
  static final Instant FIRST_EVENT = FreshetFixture.T0.minusSeconds(50);
  private static final int MAX_SEQ = 40_000;

  /** One ingest request and its answer; {@code ingestedAt} is set when it was acknowledged. */
  public record Batch(
      int writer,
      int seq,
      long startNanos,
      long endNanos,
      int status,
      String error,
      String ingestedAt) {}

  /** One online read: when it ran, its answer, and the tiers its values came from. */
  public record Read(long startNanos, long endNanos, int status, String error, Set<String> tiers) {}

  /** A tier's state as /health reported it, from the moment it was first seen. */
  public record Transition(long nanos, String state) {}

  private final Api api;
  private final int writers;
  private final AtomicIntegerArray lastSent;
  private final AtomicIntegerArray lastAcked;
  private final Queue<Batch> batches = new ConcurrentLinkedQueue<>();
  private final Queue<Read> reads = new ConcurrentLinkedQueue<>();
  private final Queue<String> violations = new ConcurrentLinkedQueue<>();
  private final List<Transition> warm = new ArrayList<>();
  private final List<Transition> cold = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final boolean serverMayDie;
  private volatile boolean stopping;

  /**
   * With {@code serverMayDie}, a request that gets no answer ends its thread quietly (a write so
   * cut is recorded with status 0: its outcome is unknown); otherwise it is a violation.
   */
  public MixedLoad(Vertx vertx, int port, int writers, int readers, boolean serverMayDie) {
    this.api = new Api(vertx, port);
    this.serverMayDie = serverMayDie;
    this.writers = writers;
    this.lastSent = new AtomicIntegerArray(writers);
    this.lastAcked = new AtomicIntegerArray(writers);
    for (int w = 0; w < writers; w++) {
      lastSent.set(w, -1);
      lastAcked.set(w, -1);
      int writer = w;
      spawn("writer-" + w, () -> write(writer));
    }
    for (int r = 0; r < readers; r++) {
      int reader = r;
      spawn("reader-" + r, () -> read(reader));
    }
    spawn("health", this::watchHealth);
  }

  private void spawn(String name, Runnable loop) {
    Thread thread =
        new Thread(
            () -> {
              try {
                loop.run();
              } catch (NoAnswer e) {
                if (!serverMayDie) {
                  violations.add(name + " got no answer: " + e.getCause());
                }
              } catch (RuntimeException | AssertionError e) {
                violations.add(name + " died: " + e);
              }
            },
            "mixed-load-" + name);
    threads.add(thread);
    thread.start();
  }

  public static long entity(int writer, int j) {
    return 1000L * (writer + 1) + j;
  }

  static List<Long> entities(int writer) {
    List<Long> ids = new ArrayList<>();
    for (int j = 0; j < ENTITIES_PER_WRITER; j++) {
      ids.add(entity(writer, j));
    }
    return ids;
  }

  /** An online read of {@code profile:age} and {@code profile:plan} for these users. */
  public static JsonObject readRequest(List<Long> users) {
    return new JsonObject()
        .put("features", new JsonArray().add("profile:age").add("profile:plan"))
        .put("entities", new JsonObject().put("user_id", new JsonArray(new ArrayList<>(users))));
  }

  /** The batch a stored or served event time came from. */
  public static int seqOf(Instant event) {
    return (int) Duration.between(FIRST_EVENT, event).toMillis();
  }

  static Instant eventTime(int seq) {
    return FIRST_EVENT.plusMillis(seq);
  }

  /** The feature values batch {@code seq} writes for entity {@code j} of its writer. */
  static JsonObject values(int seq, int j) {
    int n = seq + j;
    return new JsonObject()
        .put("age", n % 151)
        .put("plan", seq % 2 == 0 ? "basic" : "pro")
        .put("score", (n % 80) / 4.0 - 10)
        .put("active", n % 3 == 0 ? null : n % 3 == 1);
  }

  private void write(int w) {
    for (int seq = 0; !stopping && seq < MAX_SEQ; seq++) {
      JsonArray rows = new JsonArray();
      for (int j = 0; j < ENTITIES_PER_WRITER; j++) {
        rows.add(
            values(seq, j)
                .put("user_id", entity(w, j))
                .put("event_timestamp", eventTime(seq).toString()));
      }
      lastSent.set(w, seq);
      long start = System.nanoTime();
      Api.Response answer;
      try {
        answer = api.post("/v1/ingest/profile", new JsonObject().put("rows", rows));
      } catch (RuntimeException e) {
        batches.add(new Batch(w, seq, start, System.nanoTime(), 0, "no answer", null));
        throw new NoAnswer(e);
      }
      long end = System.nanoTime();
      if (answer.status() == 200) {
        batches.add(
            new Batch(w, seq, start, end, 200, null, answer.json().getString("ingested_at")));
        lastAcked.set(w, seq);
        pace(2);
      } else {
        String error = answer.status() == 503 ? answer.error() : answer.body().toString();
        batches.add(new Batch(w, seq, start, end, answer.status(), error, null));
        if (answer.status() != 503 || !"unavailable".equals(error)) {
          violations.add("write " + w + "/" + seq + " answered " + answer.status() + " " + error);
        }
        pace(20);
      }
    }
  }

  private void read(int reader) {
    for (int i = reader; !stopping; i++) {
      int w = i % writers;
      int ackedBefore = lastAcked.get(w);
      if (ackedBefore < 0) {
        pace(5);
        continue;
      }
      long start = System.nanoTime();
      Api.Response answer = ask(() -> api.post("/v1/features/online", readRequest(entities(w))));
      long end = System.nanoTime();
      Set<String> tiers = new HashSet<>();
      if (answer.status() == 200) {
        JsonArray results = answer.json().getJsonArray("results");
        for (int j = 0; j < ENTITIES_PER_WRITER; j++) {
          check(w, j, results.getJsonObject(j), ackedBefore, lastSent.get(w), tiers);
        }
        reads.add(new Read(start, end, 200, null, tiers));
      } else {
        reads.add(new Read(start, end, answer.status(), answer.error(), tiers));
        if (answer.status() != 503 || !"unavailable".equals(answer.error())) {
          violations.add("read answered " + answer.status() + " " + answer.body());
        }
      }
      pace(2);
    }
  }

  /**
   * A value read must come from a batch sent for that entity, no older than the newest one
   * acknowledged before the read began (newest wins, through every tier), with its own values, age
   * and status.
   */
  private void check(
      int w, int j, JsonObject result, int ackedBefore, int sentAfter, Set<String> tiers) {
    String where = "entity " + entity(w, j) + ": ";
    for (String feature : List.of("profile:age", "profile:plan")) {
      JsonObject meta = result.getJsonObject("meta").getJsonObject(feature);
      if (meta.getString("event_timestamp") == null) {
        violations.add(where + "MISSING, acked " + ackedBefore + " before");
        continue;
      }
      Instant event = Instant.parse(meta.getString("event_timestamp"));
      long seq = Duration.between(FIRST_EVENT, event).toMillis();
      if (seq < ackedBefore || seq > sentAfter) {
        violations.add(where + "read batch " + seq + ", acked " + ackedBefore + " before");
        continue;
      }
      Object expected = values((int) seq, j).getValue(feature.substring("profile:".length()));
      Object value = result.getJsonObject("values").getValue(feature);
      long ageMs = Duration.between(event, FreshetFixture.T0).toMillis();
      if (!expected.equals(value)
          || !"FRESH".equals(meta.getString("status"))
          || meta.getLong("age_ms") != ageMs) {
        violations.add(where + "batch " + seq + " read as " + result.encode());
      }
      tiers.add(meta.getString("tier"));
    }
  }

  private void watchHealth() {
    while (!stopping) {
      JsonObject health = ask(() -> api.get("/health")).json();
      JsonObject tiers = health.getJsonObject("tiers");
      boolean degraded =
          !"UP".equals(tiers.getString("warm")) || !"UP".equals(tiers.getString("cold"));
      if (!health.getString("status").equals(degraded ? "DEGRADED" : "UP")) {
        violations.add("health said " + health.encode());
      }
      record(warm, tiers.getString("warm"));
      record(cold, tiers.getString("cold"));
      pace(5);
    }
  }

  /** A request the server did not answer: the connection failed or was closed. */
  private static final class NoAnswer extends RuntimeException {
    NoAnswer(Throwable cause) {
      super(cause);
    }
  }

  private static Api.Response ask(java.util.function.Supplier<Api.Response> request) {
    try {
      return request.get();
    } catch (RuntimeException e) {
      throw new NoAnswer(e);
    }
  }

  private void record(List<Transition> transitions, String state) {
    synchronized (transitions) {
      if (transitions.isEmpty() || !transitions.get(transitions.size() - 1).state().equals(state)) {
        transitions.add(new Transition(System.nanoTime(), state));
      }
    }
  }

  /** The states /health gave the tier ("warm" or "cold"), each change once, in order. */
  public List<Transition> transitions(String tier) {
    List<Transition> of = tier.equals("warm") ? warm : cold;
    synchronized (of) {
      return List.copyOf(of);
    }
  }

  /** When /health first said {@code state} for the tier after {@code after}, or -1. */
  public long firstSeen(String tier, String state, long after) {
    for (Transition t : transitions(tier)) {
      if (t.nanos() > after && t.state().equals(state)) {
        return t.nanos();
      }
    }
    return -1;
  }

  /** Whether every writer has at least {@code n} batches started after {@code since} that match. */
  public boolean eachWriter(int n, long since, Predicate<Batch> match) {
    int[] counts = new int[writers];
    for (Batch b : batches) {
      if (b.startNanos() > since && match.test(b)) {
        counts[b.writer()]++;
      }
    }
    for (int count : counts) {
      if (count < n) {
        return false;
      }
    }
    return true;
  }

  public List<Batch> batches() {
    return List.copyOf(batches);
  }

  public List<Read> reads() {
    return List.copyOf(reads);
  }

  /** What went wrong on the load's threads; empty when every answer was as expected. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** Newest acknowledged batch of a writer, -1 for none. */
  public int lastAcked(int writer) {
    return lastAcked.get(writer);
  }

  /** The {@code profile:age} batch {@code seq} wrote for entity {@code j} of its writer. */
  public static int age(int seq, int j) {
    return values(seq, j).getInteger("age");
  }

  /**
   * Once the load has stopped: every entity reads as its writer's newest acknowledged batch, and
   * from {@code tier}.
   */
  public void assertLatest(FreshetFixture f, String tier) {
    for (int w = 0; w < writers; w++) {
      Api.Response answer = f.online(readRequest(entities(w)));
      if (answer.status() != 200) {
        throw new AssertionError("read after the load: " + answer.status() + " " + answer.body());
      }
      JsonArray results = answer.json().getJsonArray("results");
      for (int j = 0; j < ENTITIES_PER_WRITER; j++) {
        JsonObject result = results.getJsonObject(j);
        JsonObject expected =
            new JsonObject()
                .put("value", values(lastAcked.get(w), j).getInteger("age"))
                .put("event_timestamp", eventTime(lastAcked.get(w)).toString())
                .put("tier", tier);
        JsonObject meta = result.getJsonObject("meta").getJsonObject("profile:age");
        JsonObject actual =
            new JsonObject()
                .put("value", result.getJsonObject("values").getInteger("profile:age"))
                .put("event_timestamp", Instant.parse(meta.getString("event_timestamp")).toString())
                .put("tier", meta.getString("tier"));
        if (!expected.equals(actual)) {
          throw new AssertionError("entity " + entity(w, j) + ": " + actual + ", not " + expected);
        }
      }
    }
  }

  /** Every row the acknowledged batches wrote, as {@link #row} lines, sorted. */
  public List<String> acknowledgedRows() {
    List<String> rows = new ArrayList<>();
    for (Batch b : batches) {
      if (b.status() == 200) {
        for (int j = 0; j < ENTITIES_PER_WRITER; j++) {
          rows.add(
              row(
                  Long.toString(entity(b.writer(), j)),
                  eventTime(b.seq()),
                  Instant.parse(b.ingestedAt()),
                  values(b.seq(), j)));
        }
      }
    }
    rows.sort(null);
    return rows;
  }

  /** Every {@code profile} row in the schema, read with a connection of its own, sorted. */
  public static List<String> storedRows(Vertx vertx, String pgUrl, String schema) {
    SqlClient client =
        PgBuilder.client().connectingTo(PgConnectOptions.fromUri(pgUrl)).using(vertx).build();
    try {
      List<String> rows = new ArrayList<>();
      for (Row r :
          client
              .query(
                  "SELECT entity_key, event_ts, ingested_at, feature_values::text AS v FROM "
                      + schema
                      + ".feature_history WHERE view_name = 'profile'")
              .execute()
              .await()) {
        rows.add(
            row(
                r.getString("entity_key"),
                r.getOffsetDateTime("event_ts").toInstant(),
                r.getOffsetDateTime("ingested_at").toInstant(),
                new JsonObject(r.getString("v"))));
      }
      rows.sort(null);
      return rows;
    } finally {
      client.close().await();
    }
  }

  /** One stored row as a line; numbers compared by value, whatever JSON type they came back as. */
  private static String row(String entity, Instant event, Instant ingested, JsonObject values) {
    Object active = values.getValue("active");
    return String.join(
        " ",
        entity,
        event.toString(),
        ingested.toString(),
        Long.toString(values.getLong("age")),
        values.getString("plan"),
        Double.toString(values.getDouble("score")),
        String.valueOf(active));
  }

  private static void pace(long millis) {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /** Stops every thread and waits for it; a thread still busy after 30 s is a violation. */
  @Override
  public void close() {
    stopping = true;
    for (Thread thread : threads) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        violations.add(thread.getName() + " did not stop");
      }
    }
    api.close();
  }
}
