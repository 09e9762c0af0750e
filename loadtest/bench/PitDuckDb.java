import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * DuckDB's {@code ASOF JOIN} over pit.sh's data, in one in-memory DuckDB, for comparison with
 * Freshet's historical lookups. Run by pit.sh with the duckdb_jdbc jar on the class path:
 *
 * <pre>java -cp duckdb_jdbc.jar PitDuckDb.java HISTORY_TSV LABELS_CSV CUTOFF RUNS</pre>
 *
 * <p>Loads the history (split by view, sorted by entity and time, as Postgres keeps it in its index)
 * and the labels first, timed apart as {@code load}; then each query RUNS times. A query applies the
 * same rule as Freshet and the Postgres LATERAL query: the latest record with event_ts ≤ ts among
 * those ingested by CUTOFF (DuckDB's ASOF takes the greatest event_ts ≤ ts; pit_data.py writes no
 * two records of one view and entity at the same event time, so no ingested_at tie-break is needed),
 * and counts the values each view's ttl and on_rotten policy would return non-null. Prints one line
 * per run: {@code DUCKDB case=one|three run=N ms=T rows=R profile=P [activity=A support=S]} and
 * {@code DUCKDB case=load ms=T history=H labels=L}.
 */
public final class PitDuckDb {

  private static final long HOUR_US = 3_600_000_000L;
  private static final long DAY_US = 24 * HOUR_US;
  private static final List<String> VIEWS =
      List.of("customer_profile", "customer_activity", "customer_support");

  private PitDuckDb() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: PitDuckDb HISTORY_TSV LABELS_CSV CUTOFF RUNS");
    }
    String history = args[0];
    String labels = args[1];
    // Naive UTC timestamps, like the files.
    String cutoff = args[2].replace('T', ' ').replace("Z", "");
    int runs = Integer.parseInt(args[3]);
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      long start = System.nanoTime();
      s.execute(
          "CREATE TABLE history AS SELECT * FROM read_csv('"
              + history
              + "', delim = '\t', header = false, quote = '', escape = '', columns = {"
              + "'view_name': 'VARCHAR', 'entity_key': 'VARCHAR', 'event_ts': 'TIMESTAMP',"
              + " 'ingested_at': 'TIMESTAMP', 'feature_values': 'VARCHAR'})");
      for (String view : VIEWS) {
        s.execute(
            "CREATE TABLE h_"
                + view
                + " AS SELECT entity_key, event_ts, ingested_at, feature_values FROM history"
                + " WHERE view_name = '"
                + view
                + "' ORDER BY entity_key, event_ts");
      }
      s.execute("DROP TABLE history");
      s.execute(
          "CREATE TABLE labels AS SELECT * FROM read_csv('"
              + labels
              + "', header = true, columns = {'row_id': 'BIGINT', 'entity_key': 'VARCHAR',"
              + " 'ts': 'TIMESTAMP'})");
      long loadMs = (System.nanoTime() - start) / 1_000_000;
      long historyRows = 0;
      for (String view : VIEWS) {
        historyRows += count(s, "SELECT count(*) FROM h_" + view);
      }
      System.out.printf(
          Locale.ROOT,
          "DUCKDB case=load ms=%d history=%d labels=%d%n",
          loadMs,
          historyRows,
          count(s, "SELECT count(*) FROM labels"));

      String one =
          "SELECT count(*), "
              + within("p", 30 * DAY_US)
              + " FROM labels l "
              + asof("p", "customer_profile", cutoff);
      String three =
          "SELECT count(*), "
              + within("p", 30 * DAY_US)
              + ", "
              // customer_activity: ttl 2d, but on_rotten nullify beyond stale 6h.
              + within("a", 6 * HOUR_US)
              + ", "
              + within("s", 7 * DAY_US)
              + " FROM labels l "
              + asof("p", "customer_profile", cutoff)
              + asof("a", "customer_activity", cutoff)
              + asof("s", "customer_support", cutoff);
      for (int run = 1; run <= runs; run++) {
        time(s, "one", run, one, "profile");
        time(s, "three", run, three, "profile", "activity", "support");
      }
    }
  }

  /** Values the view would return non-null: found, and no older than {@code limitUs} at ts. */
  private static String within(String alias, long limitUs) {
    return "count("
        + alias
        + ".feature_values) FILTER (WHERE epoch_us(l.ts) - epoch_us("
        + alias
        + ".event_ts) <= "
        + limitUs
        + ")";
  }

  private static String asof(String alias, String view, String cutoff) {
    return "ASOF LEFT JOIN (SELECT * FROM h_"
        + view
        + " WHERE ingested_at <= TIMESTAMP '"
        + cutoff
        + "') "
        + alias
        + " ON l.entity_key = "
        + alias
        + ".entity_key AND l.ts >= "
        + alias
        + ".event_ts ";
  }

  private static void time(Statement s, String name, int run, String sql, String... views)
      throws SQLException {
    long start = System.nanoTime();
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      long ms = (System.nanoTime() - start) / 1_000_000;
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT, "DUCKDB case=%s run=%d ms=%d rows=%d", name, run, ms, r.getLong(1)));
      for (int i = 0; i < views.length; i++) {
        line.append(' ').append(views[i]).append('=').append(r.getLong(i + 2));
      }
      System.out.println(line);
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
