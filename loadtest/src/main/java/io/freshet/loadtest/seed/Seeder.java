package io.freshet.loadtest.seed;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a known dataset through Freshet's public ingest API, so every load test starts from the
 * same data: entities 1..N in every selected view, values generated from the registry (see {@link
 * RowGenerator}), all with one event time just before the seed started, so they read FRESH. It
 * registers nothing: the views are whatever the server's schemas declare.
 *
 * <p>With {@code --history-days=D} it is a backfill instead: the batches' event times are spread
 * evenly over the D days before the seed started, oldest batch first, as a pipeline catching up on
 * a year of history would send them (each batch within one day, so within one month partition).
 *
 * <pre>
 * java -cp loadtest/target/freshet-ceilings.jar io.freshet.loadtest.seed.Seeder \
 *   --url=http://127.0.0.1:18080 --entities=1000000 [--views=customer|all|v1,v2] \
 *   [--batch=1000] [--concurrency=4] [--history-days=0] [--write-token=T] [--read-token=T]
 * </pre>
 *
 * Each setting may also come from the environment ({@code SEED_URL}, {@code SEED_ENTITIES}, ...;
 * tokens from {@code FRESHET_WRITE_TOKEN} and {@code FRESHET_READ_TOKEN}). {@code --views} names an
 * entity (its views), {@code all}, or a list of views; the default is the {@code customer} entity's
 * views, the ones the simulations read. Prints one {@code seed ...} result line.
 */
public final class Seeder {

  private Seeder() {}

  public static void main(String[] args) throws Exception {
    String url = setting(args, "url", "SEED_URL", "http://127.0.0.1:18080");
    long entities = Long.parseLong(setting(args, "entities", "SEED_ENTITIES", "1000000"));
    String views = setting(args, "views", "SEED_VIEWS", "customer");
    int batch = Integer.parseInt(setting(args, "batch", "SEED_BATCH", "1000"));
    int concurrency = Integer.parseInt(setting(args, "concurrency", "SEED_CONCURRENCY", "4"));
    long historyDays = Long.parseLong(setting(args, "history-days", "SEED_HISTORY_DAYS", "0"));
    IngestClient client =
        new IngestClient(
            url,
            setting(args, "write-token", "FRESHET_WRITE_TOKEN", ""),
            setting(args, "read-token", "FRESHET_READ_TOKEN", ""));

    List<Generated> plan = plan(new JsonObject(client.registry()), views);
    if (plan.isEmpty()) {
      throw new IllegalArgumentException("no view matches --views=" + views);
    }
    // Truncated to milliseconds so the idempotency keys of one run are stable and readable.
    Instant eventTime = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    long started = System.nanoTime();
    AtomicLong rows = new AtomicLong();
    ExecutorService senders = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> sent = new ArrayList<>();
      long batches = (entities + batch - 1) / batch;
      for (Generated view : plan) {
        for (long first = 1; first <= entities; first += batch) {
          long from = first;
          long to = Math.min(entities, first + batch - 1);
          Instant at = backfilled(eventTime, historyDays, (first - 1) / batch, batches);
          sent.add(senders.submit(() -> send(client, view, at, from, to, rows)));
        }
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      senders.shutdownNow();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "seed rows=%d entities=%d views=%s batch=%d concurrency=%d seconds=%.1f rows_per_s=%.0f"
            + " event_timestamp=%s%n",
        rows.get(),
        entities,
        String.join(",", plan.stream().map(g -> g.generator.view()).toList()),
        batch,
        concurrency,
        seconds,
        rows.get() / seconds,
        eventTime);
  }

  /** Batch {@code index} of {@code batches}: its place in the history, the oldest first. */
  private static Instant backfilled(Instant end, long days, long index, long batches) {
    if (days == 0) {
      return end;
    }
    long spanMillis = days * 86_400_000L;
    return end.minusMillis(spanMillis - spanMillis * index / batches);
  }

  private record Generated(String entity, RowGenerator generator) {}

  private static List<Generated> plan(JsonObject registry, String selection) {
    Map<String, JsonObject> entityDefs = new HashMap<>();
    registry.getJsonArray("entities").forEach(e -> put(entityDefs, (JsonObject) e));
    Set<String> named = Set.of(selection.split(","));
    List<Generated> plan = new ArrayList<>();
    for (Object v : registry.getJsonArray("feature_views")) {
      JsonObject view = (JsonObject) v;
      String entity = view.getString("entity");
      if (selection.equals("all")
          || named.contains(entity)
          || named.contains(view.getString("name"))) {
        plan.add(new Generated(entity, new RowGenerator(view, entityDefs.get(entity))));
      }
    }
    return plan;
  }

  private static void put(Map<String, JsonObject> byName, JsonObject def) {
    byName.put(def.getString("name"), def);
  }

  private static Void send(
      IngestClient client, Generated view, Instant eventTime, long from, long to, AtomicLong rows)
      throws Exception {
    String timestamp = eventTime.toString();
    StringBuilder body = new StringBuilder(1024 * (int) (to - from + 1)).append("{\"rows\":[");
    for (long n = from; n <= to; n++) {
      if (n > from) {
        body.append(',');
      }
      view.generator.appendRow(body, view.generator.key(view.entity, n), timestamp);
    }
    body.append("]}");
    String key = "seed-" + eventTime.toEpochMilli() + "-" + view.generator.view() + "-" + from;
    client.ingest(view.generator.view(), key, body.toString(), (int) (to - from + 1));
    rows.addAndGet(to - from + 1);
    return null;
  }

  /** {@code --name=value} from the arguments, else the environment variable, else the default. */
  private static String setting(String[] args, String name, String env, String fallback) {
    String prefix = "--" + name + "=";
    for (String arg : args) {
      if (arg.startsWith(prefix)) {
        return arg.substring(prefix.length());
      }
    }
    return System.getenv().getOrDefault(env, fallback);
  }
}
