package io.freshet.registry;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns versions from Postgres: an object keeps its version while its canonical definition is
 * unchanged and gets the next one when it changes. A fit is a version too: the transformation's
 * declaration with a {@code fit} added, which a restart keeps because the declaration is unchanged.
 * Every change runs in one transaction under one advisory lock, so instances agree on every number.
 */
public final class RegistryVersions {

  private static final String LATEST =
      "SELECT DISTINCT ON (kind, name) kind, name, version, definition FROM registry_versions"
          + " ORDER BY kind, name, version DESC";
  private static final String LOCK =
      "SELECT pg_advisory_xact_lock(hashtext('freshet:registry:' || current_schema()))";
  private static final String TRANSFORMATIONS =
      "SELECT name, version, definition FROM registry_versions WHERE kind = 'transformation'"
          + " ORDER BY name, version";
  private static final String LATEST_OF =
      "SELECT version, definition FROM registry_versions WHERE kind = 'transformation'"
          + " AND name = $1 ORDER BY version DESC LIMIT 1";
  private static final String FIT = "fit";
  private static final String INSERT =
      "INSERT INTO registry_versions (kind, name, version, definition) VALUES ($1, $2, $3, $4)";

  private RegistryVersions() {}

  public static Future<Registry> register(Pool pool, SchemaSet schemas) {
    Map<RegistryKey, JsonObject> definitions = RegistryJson.definitions(schemas);
    return pool.withTransaction(
        conn ->
            conn.query(LOCK)
                .execute()
                .compose(r -> conn.query(LATEST).execute())
                .compose(rows -> assign(conn, definitions, rows))
                .map(versions -> new Registry(schemas, versions)));
  }

  private static Future<Map<RegistryKey, Integer>> assign(
      SqlConnection conn, Map<RegistryKey, JsonObject> definitions, Iterable<Row> rows) {
    Map<RegistryKey, Row> latest = new HashMap<>();
    for (Row row : rows) {
      RegistryKey.Kind kind =
          RegistryKey.Kind.valueOf(row.getString("kind").toUpperCase(java.util.Locale.ROOT));
      latest.put(new RegistryKey(kind, row.getString("name")), row);
    }
    Map<RegistryKey, Integer> versions = new HashMap<>();
    List<Tuple> inserts = new ArrayList<>();
    definitions.forEach(
        (key, definition) -> {
          String text = definition.encode();
          Row held = latest.get(key);
          int version;
          if (held == null) {
            version = 1;
          } else if (declaration(held.getString("definition")).encode().equals(text)) {
            version = held.getInteger("version");
          } else {
            version = held.getInteger("version") + 1;
          }
          versions.put(key, version);
          if (held == null || version != held.getInteger("version")) {
            inserts.add(Tuple.of(key.kind().dbName(), key.name(), version, text));
          }
        });
    if (inserts.isEmpty()) {
      return Future.succeededFuture(versions);
    }
    return conn.preparedQuery(INSERT).executeBatch(inserts).map(r -> versions);
  }

  /** A stored definition without its fit, as the schemas declare it. */
  private static JsonObject declaration(String stored) {
    JsonObject definition = new JsonObject(stored);
    definition.remove(FIT);
    return definition;
  }

  /** Every stored version of every transformation, fits included, oldest first. */
  public static Future<List<StoredDefinition>> transformations(SqlClient client) {
    return client
        .query(TRANSFORMATIONS)
        .execute()
        .map(
            rows -> {
              List<StoredDefinition> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                out.add(
                    new StoredDefinition(
                        row.getString("name"),
                        row.getInteger("version"),
                        new JsonObject(row.getString("definition"))));
              }
              return out;
            });
  }

  /**
   * Stores a fit of {@code declaration} as the transformation's next version and answers its
   * number. Fitting again from the same snapshot to the same parameters is the same fit: the
   * version it made is answered and nothing is added.
   */
  public static Future<Integer> recordFit(
      Pool pool, String name, JsonObject declaration, JsonObject fit) {
    return recordFits(pool, List.of(new Fit(name, declaration, fit)))
        .map(versions -> versions.get(0));
  }

  /** One transformation's fit to store: its declaration and what was fitted. */
  public record Fit(String name, JsonObject declaration, JsonObject fit) {}

  /**
   * Stores several fits in one transaction, all or none, and answers their versions in order; each
   * is recorded as {@link #recordFit} records one.
   */
  public static Future<List<Integer>> recordFits(Pool pool, List<Fit> fits) {
    return pool.withTransaction(
        conn ->
            conn.query(LOCK)
                .execute()
                .compose(locked -> recordEach(conn, fits, 0, new ArrayList<>())));
  }

  private static Future<List<Integer>> recordEach(
      SqlConnection conn, List<Fit> fits, int next, List<Integer> versions) {
    if (next == fits.size()) {
      return Future.succeededFuture(versions);
    }
    Fit fit = fits.get(next);
    return record(conn, fit.name(), fit.declaration(), fit.fit())
        .compose(
            version -> {
              versions.add(version);
              return recordEach(conn, fits, next + 1, versions);
            });
  }

  private static Future<Integer> record(
      SqlConnection conn, String name, JsonObject declaration, JsonObject fit) {
    return conn.preparedQuery(LATEST_OF)
        .execute(Tuple.of(name))
        .compose(
            rows -> {
              Row latest = rows.iterator().next();
              JsonObject held = new JsonObject(latest.getString("definition"));
              JsonObject heldFit = held.getJsonObject(FIT);
              if (heldFit != null
                  && declaration(held.encode()).encode().equals(declaration.encode())
                  && sameFit(heldFit, fit)) {
                return Future.succeededFuture(latest.getInteger("version"));
              }
              int version = latest.getInteger("version") + 1;
              String text = declaration.copy().put(FIT, fit).encode();
              return conn.preparedQuery(INSERT)
                  .execute(Tuple.of(RegistryKey.Kind.TRANSFORMATION.dbName(), name, version, text))
                  .map(inserted -> version);
            });
  }

  private static boolean sameFit(JsonObject a, JsonObject b) {
    return a.getValue("snapshot_id").equals(b.getValue("snapshot_id"))
        && a.getJsonObject("parameters").equals(b.getJsonObject("parameters"));
  }
}
