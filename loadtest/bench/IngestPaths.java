import io.freshet.tier.PgMigrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ways a batch can reach Postgres, timed in the database alone: no HTTP, no validation, no
 * Redis. ROWS customer_profile-like rows in BATCH-row batches over CLIENTS connections, each batch
 * one statement (one transaction), into a schema made by Freshet's own migrations. Run by
 * ingest-paths.sh, compiled against freshet.jar (which holds the Postgres client):
 *
 * <pre>java -cp freshet.jar IngestPaths.java PG_URL SCHEMA ROWS BATCH CLIENTS COPY_FILE</pre>
 *
 * <p>Paths (every one writes the same rows; tables are emptied between them):
 *
 * <ul>
 *   <li>{@code unnest}: Freshet's statement: arrays unnest into rows, the view watermark and the
 *       warm tier's repair log in the same statement
 *   <li>{@code unnest-no-log}: the same without the repair log (what the log costs)
 *   <li>{@code unnest-history-only}: the history insert alone
 *   <li>{@code values}: one multi-row VALUES list (five parameters a row), watermark and log
 *   <li>{@code unnest-unpartitioned}: the statement before partitioning, on a table without them
 * </ul>
 *
 * It also writes the rows to COPY_FILE (COPY text format) for the script's psql COPY ceiling. Prints
 * one line per path: {@code PATH name=N clients=C seconds=S rows_per_s=R}.
 */
public final class IngestPaths {

  private static final String HISTORY_INSERT =
      "INSERT INTO feature_history (view_name, entity_key, event_ts, ingested_at, feature_values)"
          + " SELECT $1, k, e, $4, v::jsonb"
          + " FROM unnest($2::text[], $3::timestamptz[], $5::text[]) AS t(k, e, v)";

  private static final String WATERMARK =
      " INSERT INTO view_watermarks (view_name, last_event_ts, last_ingested_at)"
          + " SELECT $1, max(event_ts), $4 FROM appended"
          + " ON CONFLICT (view_name) DO UPDATE SET"
          + " last_event_ts = GREATEST(view_watermarks.last_event_ts, EXCLUDED.last_event_ts),"
          + " last_ingested_at ="
          + " GREATEST(view_watermarks.last_ingested_at, EXCLUDED.last_ingested_at)";

  private static final String UNNEST =
      "WITH appended AS ("
          + HISTORY_INSERT
          + " RETURNING event_ts), watermark AS ("
          + WATERMARK
          + ") INSERT INTO warm_repairs (view_name, entity_keys, key_count)"
          + " VALUES ($1, $2, cardinality($2)) RETURNING id";

  private static final String UNNEST_NO_LOG =
      "WITH appended AS (" + HISTORY_INSERT + " RETURNING event_ts)" + WATERMARK;

  private static final int ROUNDS = 3;

  private record Batch(String[] keys, OffsetDateTime[] events, String[] values) {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String schema = args[1];
    int rows = Integer.parseInt(args[2]);
    int batchRows = Integer.parseInt(args[3]);
    int clients = Integer.parseInt(args[4]);
    Path copyFile = Path.of(args[5]);
    Vertx vertx = Vertx.vertx();
    List<PgMigrations.Migration> migrations = PgMigrations.load();
    Pool pool = pool(vertx, url, schema, clients);
    Pool old = pool(vertx, url, schema + "_unpartitioned", clients);
    try {
      PgMigrations.apply(pool, schema, migrations).await();
      List<PgMigrations.Migration> before = new ArrayList<>();
      migrations.stream().filter(m -> m.version() <= 8).forEach(before::add);
      PgMigrations.apply(old, schema + "_unpartitioned", before).await();
      OffsetDateTime ingested = OffsetDateTime.now(ZoneOffset.UTC);
      List<Batch> batches = batches(rows, batchRows, ingested);
      writeCopyFile(copyFile, batches, ingested);
      // The month of the rows must have its partition, as Freshet makes sure before writing.
      LocalDate month = ingested.minusMinutes(10).toLocalDate().withDayOfMonth(1);
      pool.query(
              String.format(
                  Locale.ROOT,
                  "CREATE TABLE IF NOT EXISTS feature_history_%04d_%02d PARTITION OF feature_history"
                      + " FOR VALUES FROM ('%s 00:00:00+00') TO ('%s 00:00:00+00')",
                  month.getYear(),
                  month.getMonthValue(),
                  month,
                  month.plusMonths(1)))
          .execute()
          .await();
      // A warm-up round, then ROUNDS measured ones, the paths taking turns so that a burst of
      // other load on the machine falls on all of them alike.
      for (int round = 0; round <= ROUNDS; round++) {
        boolean measured = round > 0;
        run("unnest", pool, batches, ingested, clients, UNNEST, measured);
        run("unnest-no-log", pool, batches, ingested, clients, UNNEST_NO_LOG, measured);
        run("unnest-history-only", pool, batches, ingested, clients, HISTORY_INSERT, measured);
        run("values", pool, batches, ingested, clients, null, measured);
        run("unnest-unpartitioned", old, batches, ingested, clients, UNNEST_NO_LOG, measured);
      }
    } finally {
      pool.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute().await();
      old.query("DROP SCHEMA IF EXISTS " + schema + "_unpartitioned CASCADE").execute().await();
      pool.close().await();
      old.close().await();
      vertx.close().await();
    }
  }

  private static Pool pool(Vertx vertx, String url, String schema, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size))
        .connectingTo(
            PgConnectOptions.fromUri(url)
                .addProperty("search_path", schema)
                .addProperty("client_min_messages", "warning"))
        .using(vertx)
        .build();
  }

  /** customer_profile rows as rows.py makes them: ids from 1, events ten minutes ago. */
  private static List<Batch> batches(int rows, int batchRows, OffsetDateTime ingested) {
    Random random = new Random(42);
    String[] plans = {"basic", "pro", "enterprise"};
    OffsetDateTime event = ingested.minusMinutes(10);
    List<Batch> batches = new ArrayList<>();
    for (int start = 1; start <= rows; start += batchRows) {
      int n = Math.min(batchRows, rows - start + 1);
      Batch b = new Batch(new String[n], new OffsetDateTime[n], new String[n]);
      for (int i = 0; i < n; i++) {
        b.keys[i] = Integer.toString(start + i);
        b.events[i] = event;
        b.values[i] =
            "{\"age\":"
                + (18 + random.nextInt(72))
                + ",\"plan\":\""
                + plans[random.nextInt(3)]
                + "\",\"tenure_days\":"
                + random.nextInt(3650)
                + ",\"monthly_spend\":"
                + (random.nextInt(10) == 0 ? "null" : Math.round(random.nextDouble() * 49500) / 100.0)
                + "}";
      }
      batches.add(b);
    }
    return batches;
  }

  private static void writeCopyFile(Path file, List<Batch> batches, OffsetDateTime ingested)
      throws IOException {
    StringBuilder out = new StringBuilder();
    for (Batch b : batches) {
      for (int i = 0; i < b.keys.length; i++) {
        out.append("customer_profile\t")
            .append(b.keys[i])
            .append('\t')
            .append(b.events[i])
            .append('\t')
            .append(ingested)
            .append('\t')
            .append(b.values[i])
            .append('\n');
      }
    }
    Files.writeString(file, out, StandardCharsets.UTF_8);
  }

  private static void run(
      String name,
      Pool pool,
      List<Batch> batches,
      OffsetDateTime ingested,
      int clients,
      String statement,
      boolean print) {
    pool.query("TRUNCATE feature_history, view_watermarks").execute().await();
    pool.query("DELETE FROM warm_repairs WHERE true")
        .execute()
        .otherwiseEmpty()
        .await();
    pool.query("CHECKPOINT").execute().otherwiseEmpty().await();
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      workers.add(worker(pool, batches, next, ingested, statement));
    }
    Future.all(workers).await();
    double seconds = (System.nanoTime() - started) / 1e9;
    long stored =
        pool.query("SELECT count(*) FROM feature_history")
            .execute()
            .await()
            .iterator()
            .next()
            .getLong(0);
    int rows = batches.stream().mapToInt(b -> b.keys.length).sum();
    if (stored != rows) {
      throw new IllegalStateException(name + " stored " + stored + " rows of " + rows);
    }
    if (print) {
      System.out.printf(
          Locale.ROOT,
          "PATH name=%s clients=%d seconds=%.3f rows_per_s=%.0f%n",
          name,
          clients,
          seconds,
          rows / seconds);
    }
  }

  private static Future<Void> worker(
      Pool pool,
      List<Batch> batches,
      AtomicInteger next,
      OffsetDateTime ingested,
      String statement) {
    int i = next.getAndIncrement();
    if (i >= batches.size()) {
      return Future.succeededFuture();
    }
    Batch b = batches.get(i);
    Future<?> done =
        statement == null
            ? values(pool, b, ingested)
            : pool.preparedQuery(statement)
                .execute(Tuple.of("customer_profile", b.keys, b.events, ingested, b.values));
    return done.compose(r -> worker(pool, batches, next, ingested, statement));
  }

  /** The batch as one multi-row VALUES list, with the watermark and the repair log. */
  private static Future<?> values(Pool pool, Batch b, OffsetDateTime ingested) {
    StringBuilder sql =
        new StringBuilder(
            "WITH appended AS (INSERT INTO feature_history"
                + " (view_name, entity_key, event_ts, ingested_at, feature_values) VALUES ");
    Tuple params = Tuple.tuple();
    params.addString("customer_profile").addValue(b.keys).addValue(ingested);
    for (int i = 0; i < b.keys.length; i++) {
      int p = params.size();
      sql.append(i == 0 ? "" : ",")
          .append("($1, $")
          .append(p + 1)
          .append(", $")
          .append(p + 2)
          .append(", $3, $")
          .append(p + 3)
          .append("::jsonb)");
      params.addString(b.keys[i]).addOffsetDateTime(b.events[i]).addString(b.values[i]);
    }
    sql.append(" RETURNING event_ts), watermark AS (")
        .append(WATERMARK.replace("$4", "$3"))
        .append(") INSERT INTO warm_repairs (view_name, entity_keys, key_count)")
        .append(" VALUES ($1, $2, cardinality($2)) RETURNING id");
    return pool.preparedQuery(sql.toString()).execute(params);
  }
}
