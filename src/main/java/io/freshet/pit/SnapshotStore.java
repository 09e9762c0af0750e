package io.freshet.pit;

import io.freshet.encoding.SnapshotColumns;
import io.freshet.encoding.SnapshotEncoder;
import io.freshet.encoding.SnapshotLayout;
import io.freshet.model.EnumNames;
import io.freshet.model.Timestamps;
import io.freshet.model.ValueType;
import io.freshet.registry.Registry;
import io.freshet.registry.RegistryKey;
import io.freshet.registry.TransformationCatalog;
import io.freshet.selection.Column;
import io.freshet.served.SnapshotProfiles;
import io.freshet.tier.PgFailures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Snapshot manifests in Postgres, written once a snapshot's last row is out. */
public final class SnapshotStore implements SnapshotProfiles {

  private static final String INSERT =
      "INSERT INTO snapshots (id, created_at, cutoff, feature_service, features, transformations,"
          + " row_count, sha256, rows_checked, future_values, statistics, columns, number_format,"
          + " as_known, apply_freshness, include_status, timestamp_precision, format,"
          + " include_timestamps, rows_sha256, output_columns, retention_truncated, profile,"
          + " profile_sketches)"
          + " VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, $8, $9, $10, $11,"
          + " $12::text::jsonb, $13, $14, $15, $16, $17, $18, $19, $20, $21::text::jsonb, $22,"
          + " $23::text::jsonb, $24::text::jsonb)";
  private static final String SELECT =
      "SELECT id, created_at, cutoff, feature_service, features::text AS features,"
          + " transformations::text AS transformations, row_count, sha256, rows_checked,"
          + " future_values, columns::text AS columns, number_format, as_known, apply_freshness,"
          + " include_status, timestamp_precision, format, include_timestamps, rows_sha256,"
          + " output_columns::text AS output_columns, retention_truncated,"
          + " profile::text AS profile"
          + " FROM snapshots WHERE id = $1";
  private static final String PROFILE =
      "SELECT feature_service, row_count, sha256, cutoff, profile::text AS profile,"
          + " profile_sketches::text AS profile_sketches FROM snapshots WHERE id = $1";
  private static final String STATISTICS =
      "SELECT row_count, statistics FROM snapshots WHERE id = $1";

  private final Pool pool;
  private final Registry registry;
  private final TransformationCatalog catalog;

  public SnapshotStore(Pool pool, Registry registry, TransformationCatalog catalog) {
    this.pool = pool;
    this.registry = registry;
    this.catalog = catalog;
  }

  /** What a snapshot's statistics are kept of, as of the schemas this process runs. */
  SnapshotEncoder encoder(SnapshotRequest request) {
    return new SnapshotEncoder(request.layout(), catalog.trackedInputs());
  }

  /** A stored snapshot's size and the statistics it kept, for fitting. */
  public record Statistics(long rowCount, JsonObject byFeature) {}

  /**
   * The manifest row of a snapshot whose last row went out. Built on a snapshot thread: sorting the
   * values a fit reads and encoding the profiles take milliseconds for a large snapshot, longer
   * than an event loop should be held.
   */
  Tuple manifest(
      UUID id,
      long createdMicros,
      SnapshotRequest request,
      LabelTable labels,
      String rowsSha256,
      SnapshotEncoder encoder) {
    JsonArray features = new JsonArray();
    JsonArray transformations = new JsonArray();
    JsonArray pinned = new JsonArray();
    for (Column column : request.selection().columns()) {
      int version;
      if (column instanceof Column.Raw) {
        version =
            registry.version(RegistryKey.Kind.FEATURE_VIEW, ((Column.Raw) column).view().name());
        pinned.add(column.name());
      } else {
        version = ((Column.Transformed) column).version().version();
        transformations.add(entry(column.name(), version));
        pinned.add(column.name() + "@" + version);
      }
      features.add(entry(column.name(), version));
    }
    SnapshotLayout layout = request.layout();
    List<ValueType> keyTypes = new ArrayList<>();
    request.joinKeys().forEach(k -> keyTypes.add(k.keyType()));
    Tuple row =
        Tuple.tuple()
            .addUUID(id)
            .addOffsetDateTime(Timestamps.toOffsetDateTime(createdMicros))
            .addOffsetDateTime(Timestamps.toOffsetDateTime(request.cutoffMicros()))
            .addString(request.featureService())
            .addString(features.encode())
            .addString(transformations.encode())
            .addLong(encoder.rows())
            .addString(encoder.sha256())
            .addLong(encoder.rows())
            .addLong(encoder.futureValues())
            .addString(encoder.statistics().encode())
            .addString(pinned.encode())
            .addString(layout.numberFormat().wireName())
            .addString(request.asKnown().wireName())
            .addBoolean(request.applyFreshness())
            .addBoolean(layout.includeStatus())
            .addString(layout.timestampPrecision().wireName())
            .addString(EnumNames.name(layout.format()))
            .addBoolean(layout.includeTimestamps())
            .addString(rowsSha256)
            .addString(SnapshotColumns.describe(layout, keyTypes, labels).encode())
            .addBoolean(
                Retention.truncated(request.selection().views(), earliest(labels), createdMicros))
            .addString(encoder.profile().encode())
            .addString(encoder.profileSketches().encode());
    return row;
  }

  /** Stores a manifest {@link #manifest} built. */
  Future<Void> save(Tuple manifest) {
    return PgFailures.unavailableAsTierDown(pool.preparedQuery(INSERT).execute(manifest))
        .mapEmpty();
  }

  /** The earliest label row's time: how far back the snapshot's rows could look. */
  private static long earliest(LabelTable labels) {
    long earliest = Long.MAX_VALUE;
    for (int row = 0; row < labels.size(); row++) {
      earliest = Math.min(earliest, labels.at(row));
    }
    return earliest;
  }

  private static JsonObject entry(String name, int version) {
    return new JsonObject().put("name", name).put("version", version);
  }

  public Future<Optional<JsonObject>> find(UUID id) {
    return PgFailures.unavailableAsTierDown(pool.preparedQuery(SELECT).execute(Tuple.of(id)))
        .map(SnapshotStore::manifest);
  }

  @Override
  public Future<Optional<Profile>> profile(UUID id) {
    return PgFailures.unavailableAsTierDown(pool.preparedQuery(PROFILE).execute(Tuple.of(id)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              String profile = row.getString("profile");
              String sketches = row.getString("profile_sketches");
              return Optional.of(
                  new Profile(
                      id,
                      row.getString("feature_service"),
                      row.getLong("row_count"),
                      row.getString("sha256"),
                      Timestamps.fromOffsetDateTime(row.getOffsetDateTime("cutoff")),
                      profile == null ? null : new JsonObject(profile),
                      sketches == null ? new JsonObject() : new JsonObject(sketches)));
            });
  }

  public Future<Optional<Statistics>> statistics(UUID id) {
    return PgFailures.unavailableAsTierDown(pool.preparedQuery(STATISTICS).execute(Tuple.of(id)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new Statistics(
                      row.getLong("row_count"), new JsonObject(row.getString("statistics"))));
            });
  }

  private static Optional<JsonObject> manifest(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    String profile = row.getString("profile");
    String cutoff =
        Timestamps.format(Timestamps.fromOffsetDateTime(row.getOffsetDateTime("cutoff")));
    String outputColumns = row.getString("output_columns");
    JsonObject options =
        new JsonObject()
            .put("format", row.getString("format"))
            .put("number_format", row.getString("number_format"))
            .put("timestamp_precision", row.getString("timestamp_precision"))
            .put("include_timestamps", row.getBoolean("include_timestamps"))
            .put("include_status", row.getBoolean("include_status"))
            .put("as_known", row.getString("as_known"))
            .put("apply_freshness", row.getBoolean("apply_freshness"));
    JsonObject manifest =
        new JsonObject()
            .put("id", row.getUUID("id").toString())
            .put(
                "created_at",
                Timestamps.format(
                    Timestamps.fromOffsetDateTime(row.getOffsetDateTime("created_at"))))
            .put("cutoff", cutoff)
            .put("feature_service", row.getString("feature_service"))
            .put("features", new JsonArray(row.getString("features")))
            .put("transformations", new JsonArray(row.getString("transformations")))
            .put("columns", outputColumns == null ? null : new JsonArray(outputColumns));
    options.forEach(option -> manifest.put(option.getKey(), option.getValue()));
    // What to send, with the same label rows, for the same bytes: the columns with every
    // transformation pinned, the options, the cutoff. An option a snapshot did not record (one
    // stored before it was) is left out, for the caller to give as it was sent then.
    JsonObject request = new JsonObject().put("features", new JsonArray(row.getString("columns")));
    options.forEach(
        option -> {
          if (option.getValue() != null) {
            request.put(option.getKey(), option.getValue());
          }
        });
    request.put("cutoff", cutoff);
    return Optional.of(
        manifest
            .put("request", request)
            .put("row_count", row.getLong("row_count"))
            .put("sha256", row.getString("sha256"))
            .put("rows_sha256", row.getString("rows_sha256"))
            .put("retention_truncated", row.getBoolean("retention_truncated"))
            .put("profile", profile == null ? null : new JsonObject(profile))
            .put(
                "leakage",
                new JsonObject()
                    .put("rows_checked", row.getLong("rows_checked"))
                    .put("future_values", row.getLong("future_values"))));
  }
}
