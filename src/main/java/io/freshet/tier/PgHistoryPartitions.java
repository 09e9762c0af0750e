package io.freshet.tier;

import io.freshet.model.ApiException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Partitions are made with {@code CREATE TABLE} then {@code ATTACH PARTITION}, which takes only a
 * SHARE UPDATE EXCLUSIVE lock on the history (a {@code CREATE TABLE ... PARTITION OF} would take
 * ACCESS EXCLUSIVE and stop every read and write until the longest snapshot ends). Creations and
 * drops of every instance on one schema take turns under an advisory lock.
 */
final class PgHistoryPartitions implements HistoryPartitions {

  private static final System.Logger LOG = System.getLogger(PgHistoryPartitions.class.getName());
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final String RECORDS = "feature_history";

  /**
   * A batch that needs more new months than this is refused (400): ten years of backfill in one
   * batch is fine, a thousand partitions made by one request from stray timestamps is not.
   */
  static final int MAX_NEW_PER_BATCH = 120;

  private static final String LOCK =
      "SELECT pg_advisory_xact_lock(hashtext('freshet:partitions:' || current_schema()))";
  private static final String ATTACHED =
      "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
          + " WHERE i.inhparent = '%s'::regclass";

  /**
   * The distinct views in one partition, by skipping through its as-of index (a view at a time)
   * rather than reading every row.
   */
  private static final String VIEWS_IN =
      "WITH RECURSIVE v AS ((SELECT view_name FROM %1$s ORDER BY view_name LIMIT 1)"
          + " UNION ALL SELECT (SELECT view_name FROM %1$s WHERE view_name > v.view_name"
          + " ORDER BY view_name LIMIT 1) FROM v WHERE v.view_name IS NOT NULL)"
          + " SELECT view_name FROM v WHERE view_name IS NOT NULL";

  private final Pool pool;

  /** The partitioned table: feature_history, or event_history. */
  private final String table;

  private final Pattern nameFormat;
  private final String attached;
  private final Map<String, Long> retentionMicros = new HashMap<>();
  private final long shortestRetentionMicros;

  /** Months (year * 12 + month - 1) that have a partition. */
  private final Set<Integer> known = new ConcurrentSkipListSet<>();

  private volatile long lastRetentionMicros = Long.MIN_VALUE;

  PgHistoryPartitions(Pool pool, Map<String, Duration> retention) {
    this(pool, RECORDS, retention);
  }

  PgHistoryPartitions(Pool pool, String table, Map<String, Duration> retention) {
    this.pool = pool;
    this.table = table;
    this.nameFormat = Pattern.compile(table + "_(\\d{4,})_(\\d{2})");
    this.attached = String.format(ATTACHED, table);
    retention.forEach((view, kept) -> retentionMicros.put(view, micros(kept)));
    this.shortestRetentionMicros =
        retentionMicros.values().stream().min(Long::compare).orElse(Long.MAX_VALUE);
  }

  private static long micros(Duration duration) {
    return duration.getSeconds() >= Long.MAX_VALUE / 1_000_000
        ? Long.MAX_VALUE
        : duration.toNanos() / 1000;
  }

  static int monthOf(long micros) {
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(micros, MICROS_PER_DAY));
    return day.getYear() * 12 + day.getMonthValue() - 1;
  }

  private static long startMicros(int month) {
    return LocalDate.of(Math.floorDiv(month, 12), Math.floorMod(month, 12) + 1, 1).toEpochDay()
        * MICROS_PER_DAY;
  }

  static String name(int month) {
    return name(RECORDS, month);
  }

  private static String name(String table, int month) {
    return String.format(
        "%s_%04d_%02d", table, Math.floorDiv(month, 12), Math.floorMod(month, 12) + 1);
  }

  @Override
  public Future<Void> load() {
    return pool.query(attached)
        .execute()
        .map(
            rows -> {
              known.clear();
              for (Row row : rows) {
                Matcher m = nameFormat.matcher(row.getString(0));
                if (m.matches()) {
                  known.add(Integer.parseInt(m.group(1)) * 12 + Integer.parseInt(m.group(2)) - 1);
                }
              }
              return null;
            });
  }

  @Override
  public Future<Void> cover(long[] eventMicros) {
    Set<Integer> missing = null;
    long from = 0;
    long to = 0;
    for (long event : eventMicros) {
      if (event >= from && event < to) {
        continue;
      }
      int month = monthOf(event);
      if (known.contains(month)) {
        from = startMicros(month);
        to = startMicros(month + 1);
      } else {
        if (missing == null) {
          missing = new TreeSet<>();
        }
        missing.add(month);
      }
    }
    if (missing == null) {
      return Future.succeededFuture();
    }
    if (missing.size() > MAX_NEW_PER_BATCH) {
      return Future.failedFuture(
          ApiException.badRequest(
              "the batch's events fall in "
                  + missing.size()
                  + " months that have no history partition yet; at most "
                  + MAX_NEW_PER_BATCH
                  + " are made for one batch: send older history in batches of fewer months"));
    }
    return create(missing);
  }

  @Override
  public Future<Void> maintain(long nowMicros) {
    int current = monthOf(nowMicros);
    Set<Integer> wanted = new TreeSet<>();
    for (int month = current; month <= current + MONTHS_AHEAD; month++) {
      if (!known.contains(month)) {
        wanted.add(month);
      }
    }
    Future<Void> ahead = wanted.isEmpty() ? Future.succeededFuture() : create(wanted);
    if (lastRetentionMicros != Long.MIN_VALUE
        && nowMicros - lastRetentionMicros < micros(RETENTION_EVERY)) {
      return ahead;
    }
    lastRetentionMicros = nowMicros;
    return ahead.compose(created -> dropExpired(nowMicros)).mapEmpty();
  }

  private Future<Void> create(Set<Integer> months) {
    List<String> made = new ArrayList<>();
    return pool.withTransaction(
            conn ->
                conn.query(LOCK)
                    .execute()
                    .compose(locked -> conn.query(attached).execute())
                    .compose(
                        attached -> {
                          Set<String> present = new HashSet<>();
                          attached.forEach(row -> present.add(row.getString(0)));
                          StringBuilder ddl = new StringBuilder();
                          for (int month : months) {
                            if (!present.contains(name(table, month))) {
                              ddl.append(createStatement(table, month));
                              made.add(name(table, month));
                            }
                          }
                          return ddl.length() == 0
                              ? Future.succeededFuture()
                              : conn.query(ddl.toString()).execute().mapEmpty();
                        }))
        .onSuccess(
            created -> {
              known.addAll(months);
              if (!made.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "history partitions made: " + made);
              }
            })
        .mapEmpty();
  }

  /** Names and bounds are computed here from month numbers, never taken from a request. */
  private static String createStatement(String table, int month) {
    String name = name(table, month);
    return "CREATE TABLE "
        + name
        + " (LIKE "
        + table
        + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS);"
        + " ALTER TABLE "
        + table
        + " ATTACH PARTITION "
        + name
        + " FOR VALUES FROM (to_timestamp("
        + startMicros(month) / 1_000_000
        + ")) TO (to_timestamp("
        + startMicros(month + 1) / 1_000_000
        + "));";
  }

  @Override
  public Future<List<String>> dropExpired(long nowMicros) {
    List<Integer> candidates = new ArrayList<>();
    for (int month : known) {
      if (startMicros(month + 1) <= nowMicros - shortestRetentionMicros) {
        candidates.add(month);
      }
    }
    List<String> dropped = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int month : candidates) {
      chain = chain.compose(done -> dropIfExpired(month, nowMicros, dropped));
    }
    return chain.map(done -> dropped);
  }

  /**
   * Holds the partition against new rows while it reads which views it holds, so a backfill of a
   * view that keeps its history cannot land in it between the check and the drop. A drop that
   * cannot get its locks within a second gives up until the next round rather than queue every read
   * and write behind it.
   */
  private Future<Void> dropIfExpired(int month, long nowMicros, List<String> dropped) {
    String name = name(table, month);
    long end = startMicros(month + 1);
    return pool.withTransaction(
            conn ->
                conn.query("SET LOCAL lock_timeout = '1s'")
                    .execute()
                    .compose(set -> conn.query(LOCK).execute())
                    .compose(locked -> conn.query(attached).execute())
                    .compose(
                        attached -> {
                          boolean present = false;
                          for (Row row : attached) {
                            present |= row.getString(0).equals(name);
                          }
                          return present
                              ? dropWhenAllExpired(conn, name, end, nowMicros)
                              : Future.succeededFuture(true);
                        }))
        .map(
            gone -> {
              if (gone) {
                known.remove(month);
                dropped.add(name);
                LOG.log(System.Logger.Level.INFO, "history partition " + name + " dropped");
              }
              return (Void) null;
            })
        .recover(
            e -> {
              LOG.log(
                  System.Logger.Level.WARNING,
                  "history partition " + name + " not dropped this round: " + e.getMessage());
              return Future.succeededFuture();
            });
  }

  private Future<Boolean> dropWhenAllExpired(
      SqlConnection conn, String name, long endMicros, long nowMicros) {
    return conn.query("LOCK TABLE " + name + " IN SHARE MODE")
        .execute()
        .compose(locked -> conn.query(String.format(VIEWS_IN, name)).execute())
        .compose(
            views -> {
              for (Row row : views) {
                Long kept = retentionMicros.get(row.getString(0));
                if (kept == null || endMicros > nowMicros - kept) {
                  return Future.succeededFuture(false);
                }
              }
              return conn.query("DROP TABLE " + name).execute().map(true);
            });
  }

  @Override
  public List<String> names() {
    return names(known);
  }

  private List<String> names(Set<Integer> months) {
    List<String> names = new ArrayList<>();
    new TreeSet<>(months).forEach(m -> names.add(name(table, m)));
    return names;
  }
}
