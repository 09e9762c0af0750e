package io.freshet.registry;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns versions from Postgres: an object keeps its version while its canonical definition is
 * unchanged and gets the next one when it changes. Runs in one transaction under an advisory lock,
 * so instances starting together agree on every number.
 */
public final class RegistryVersions {

  private static final String LATEST =
      "SELECT DISTINCT ON (kind, name) kind, name, version, definition FROM registry_versions"
          + " ORDER BY kind, name, version DESC";
  private static final String INSERT =
      "INSERT INTO registry_versions (kind, name, version, definition) VALUES ($1, $2, $3, $4)";

  private RegistryVersions() {}

  public static Future<Registry> register(Pool pool, SchemaSet schemas) {
    Map<RegistryKey, JsonObject> definitions = RegistryJson.definitions(schemas);
    return pool.withTransaction(
        conn ->
            conn.query(
                    "SELECT pg_advisory_xact_lock(hashtext('freshet:registry:' || current_schema()))")
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
          } else if (held.getString("definition").equals(text)) {
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
}
