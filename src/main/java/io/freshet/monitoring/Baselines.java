package io.freshet.monitoring;

import io.freshet.model.Timestamps;
import io.freshet.tier.PgFailures;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Baselines in Postgres: one per service, the same for every instance and across restarts. */
final class Baselines {

  private static final String UPSERT =
      "INSERT INTO monitoring_baselines (service, snapshot_id, row_count, snapshot_sha256,"
          + " snapshot_cutoff, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
          + " ON CONFLICT (service) DO UPDATE SET snapshot_id = EXCLUDED.snapshot_id,"
          + " row_count = EXCLUDED.row_count, snapshot_sha256 = EXCLUDED.snapshot_sha256,"
          + " snapshot_cutoff = EXCLUDED.snapshot_cutoff, created_at = EXCLUDED.created_at";
  private static final String COLUMNS =
      "SELECT service, snapshot_id, row_count, snapshot_sha256, snapshot_cutoff, created_at"
          + " FROM monitoring_baselines";

  private final Pool pool;

  Baselines(Pool pool) {
    this.pool = pool;
  }

  Future<Baseline> put(Baseline baseline) {
    Tuple row =
        Tuple.tuple()
            .addString(baseline.service())
            .addUUID(baseline.snapshotId())
            .addLong(baseline.rowCount())
            .addString(baseline.snapshotSha256())
            .addOffsetDateTime(Timestamps.toOffsetDateTime(baseline.snapshotCutoffMicros()))
            .addOffsetDateTime(Timestamps.toOffsetDateTime(baseline.createdMicros()));
    return PgFailures.unavailableAsTierDown(pool.preparedQuery(UPSERT).execute(row))
        .map(done -> baseline);
  }

  Future<Optional<Baseline>> get(String service) {
    return PgFailures.unavailableAsTierDown(
            pool.preparedQuery(COLUMNS + " WHERE service = $1").execute(Tuple.of(service)))
        .map(rows -> all(rows).stream().findFirst());
  }

  Future<List<Baseline>> all() {
    return PgFailures.unavailableAsTierDown(pool.query(COLUMNS).execute()).map(Baselines::all);
  }

  private static List<Baseline> all(RowSet<Row> rows) {
    List<Baseline> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(
          new Baseline(
              row.getString("service"),
              row.getUUID("snapshot_id"),
              row.getLong("row_count"),
              row.getString("snapshot_sha256"),
              Timestamps.fromOffsetDateTime(row.getOffsetDateTime("snapshot_cutoff")),
              Timestamps.fromOffsetDateTime(row.getOffsetDateTime("created_at"))));
    }
    return out;
  }
}
