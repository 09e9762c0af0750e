import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The seven windowed aggregations of aggregations.sh, computed by DuckDB in SQL over the same events
 * and label rows, for comparison with Freshet's snapshot; and the check that Freshet's values are
 * the same. Run by aggregations.sh with the duckdb_jdbc jar on the class path:
 *
 * <pre>java -cp duckdb_jdbc.jar AggDuckDb.java EVENTS_TSV LABELS_CSV CUTOFF RUNS [FRESHET_JSONL VIEW]</pre>
 *
 * <p>Loads the events (sorted by card and time) and the labels first, timed apart as {@code load}.
 * The query joins every label row to its card's events of the 30 days before it (the longest
 * window; {@code ts - 30 days <= event_ts < ts}, ingested by CUTOFF) and aggregates each window with
 * a FILTER, so the rule is written straight from the definition, not from Freshet's code. Amounts are
 * DECIMAL, so DuckDB's sums are exact too. It runs RUNS times, each into a table (so nothing is
 * shipped to the client). Prints {@code DUCKDB case=load ms=T events=E labels=L}, {@code DUCKDB
 * case=query run=N ms=T rows=R}, and with Freshet's output, {@code DUCKDB case=check rows=R
 * missing=M NAME=mismatches...}: integers and strings must be equal, doubles within 1e-12 of each
 * other relatively (Freshet sums the binary doubles exactly, DuckDB the decimals; the two roundings
 * can differ in the last bit).
 */
public final class AggDuckDb {

  private static final String[] NAMES = {
    "txn_count_1h",
    "amount_sum_1d",
    "amount_mean_7d",
    "amount_max_30d",
    "amount_stddev_7d",
    "last_category",
    "categories_7d"
  };

  private AggDuckDb() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4 && args.length != 6) {
      throw new IllegalArgumentException(
          "usage: AggDuckDb EVENTS_TSV LABELS_CSV CUTOFF RUNS [FRESHET_JSONL VIEW]");
    }
    String cutoff = args[2].replace('T', ' ').replace("Z", "");
    int runs = Integer.parseInt(args[3]);
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      long start = System.nanoTime();
      s.execute(
          "CREATE TABLE events AS SELECT entity_key, event_ts, ingested_at,"
              + " CAST(json_extract_string(event_values, '$.amount') AS DECIMAL(12, 2)) AS amount,"
              + " json_extract_string(event_values, '$.merchant_category') AS category"
              + " FROM read_csv('"
              + args[0]
              + "', delim = '\t', header = false, quote = '', escape = '', columns = {"
              + "'view_name': 'VARCHAR', 'entity_key': 'VARCHAR', 'event_ts': 'TIMESTAMP',"
              + " 'ingested_at': 'TIMESTAMP', 'seq': 'INTEGER', 'event_values': 'VARCHAR'})"
              + " WHERE ingested_at <= TIMESTAMP '"
              + cutoff
              + "' ORDER BY entity_key, event_ts");
      s.execute(
          "CREATE TABLE labels AS SELECT * FROM read_csv('"
              + args[1]
              + "', header = true, columns = {'row_id': 'BIGINT', 'entity_key': 'VARCHAR',"
              + " 'ts': 'TIMESTAMP'})");
      long loadMs = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          Locale.ROOT,
          "DUCKDB case=load ms=%d events=%d labels=%d%n",
          loadMs,
          count(s, "SELECT count(*) FROM events"),
          count(s, "SELECT count(*) FROM labels"));
      for (int run = 1; run <= runs; run++) {
        s.execute("DROP TABLE IF EXISTS expected");
        long began = System.nanoTime();
        s.execute("CREATE TABLE expected AS " + query());
        long ms = (System.nanoTime() - began) / 1_000_000;
        System.out.printf(
            Locale.ROOT,
            "DUCKDB case=query run=%d ms=%d rows=%d%n",
            run,
            ms,
            count(s, "SELECT count(*) FROM expected"));
      }
      if (args.length == 6) {
        check(s, args[4], args[5]);
      }
    }
  }

  /** Every window from its definition: {@code ts - W <= event_ts < ts}; nulls skipped but by count. */
  private static String query() {
    return "SELECT l.row_id,"
        + " count(e.event_ts) FILTER (WHERE e.event_ts >= l.ts - INTERVAL 1 HOUR) AS txn_count_1h,"
        + " coalesce(sum(e.amount) FILTER (WHERE e.event_ts >= l.ts - INTERVAL 1 DAY), 0)"
        + "   AS amount_sum_1d,"
        + " avg(e.amount) FILTER (WHERE e.event_ts >= l.ts - INTERVAL 7 DAY) AS amount_mean_7d,"
        + " max(e.amount) AS amount_max_30d,"
        + " stddev_pop(e.amount) FILTER (WHERE e.event_ts >= l.ts - INTERVAL 7 DAY)"
        + "   AS amount_stddev_7d,"
        + " arg_max(e.category, e.event_ts) FILTER (WHERE e.category IS NOT NULL) AS last_category,"
        + " count(DISTINCT e.category) FILTER (WHERE e.event_ts >= l.ts - INTERVAL 7 DAY)"
        + "   AS categories_7d"
        + " FROM labels l LEFT JOIN events e ON e.entity_key = l.entity_key"
        + " AND e.event_ts >= l.ts - INTERVAL 30 DAY AND e.event_ts < l.ts"
        + " GROUP BY l.row_id";
  }

  /** Freshet's snapshot rows against DuckDB's, by the row_id each label row carried through. */
  private static void check(Statement s, String jsonl, String view) throws SQLException {
    StringBuilder columns = new StringBuilder("'row_id': 'BIGINT'");
    for (String name : NAMES) {
      String type =
          name.equals("last_category")
              ? "VARCHAR"
              : name.startsWith("txn_count") || name.startsWith("categories") ? "BIGINT" : "DOUBLE";
      columns.append(", '").append(view).append(':').append(name).append("': '").append(type);
      columns.append('\'');
    }
    s.execute(
        "CREATE TABLE freshet AS SELECT * FROM read_json('"
            + jsonl
            + "', format = 'newline_delimited', columns = {"
            + columns
            + "})");
    StringBuilder sql = new StringBuilder("SELECT count(*), count(*) FILTER (WHERE f.row_id IS NULL)");
    for (String name : NAMES) {
      String mine = "f.\"" + view + ":" + name + "\"";
      String theirs = "x." + name;
      String differs =
          name.contains("sum") || name.contains("mean") || name.contains("stddev")
                  || name.contains("max")
              ? "NOT ((" + mine + " IS NULL AND " + theirs + " IS NULL) OR abs(" + mine
                  + " - CAST(" + theirs + " AS DOUBLE)) <= 1e-12 * greatest(abs(" + mine
                  + "), 1e-300))"
              : mine + " IS DISTINCT FROM " + theirs;
      sql.append(", count(*) FILTER (WHERE ").append(differs).append(')');
    }
    sql.append(" FROM expected x LEFT JOIN freshet f ON f.row_id = x.row_id");
    try (ResultSet r = s.executeQuery(sql.toString())) {
      r.next();
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "DUCKDB case=check rows=%d missing=%d",
                  r.getLong(1),
                  r.getLong(2)));
      for (int i = 0; i < NAMES.length; i++) {
        line.append(' ').append(NAMES[i]).append('=').append(r.getLong(i + 3));
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
