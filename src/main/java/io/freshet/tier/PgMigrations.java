package io.freshet.tier;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Applies the versioned SQL files of {@code tiers/postgres/migrations} (shipped in the jar under
 * {@code db/migrations}) that the schema has not seen yet. One transaction under an advisory lock,
 * so instances starting together apply each migration once, and a failed one leaves nothing.
 */
public final class PgMigrations {

  private static final String RESOURCE_DIR = "db/migrations";
  private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");

  /** One migration file: its version and its SQL. */
  public record Migration(int version, String name, String sql) {}

  private PgMigrations() {}

  /** Reads the migration files from the classpath; blocking, so called before serving. */
  public static List<Migration> load() throws IOException {
    URL url = PgMigrations.class.getClassLoader().getResource(RESOURCE_DIR);
    if (url == null) {
      throw new IOException(RESOURCE_DIR + " is missing from the classpath");
    }
    URI uri;
    try {
      uri = url.toURI();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if (uri.getScheme().equals("jar")) {
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        return read(jar.getPath(RESOURCE_DIR));
      }
    }
    return read(Path.of(uri));
  }

  private static List<Migration> read(Path dir) throws IOException {
    List<Migration> migrations = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Matcher m = FILE_NAME.matcher(file.getFileName().toString());
        if (m.matches()) {
          String sql = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
          migrations.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), sql));
        }
      }
    }
    migrations.sort(Comparator.comparingInt(Migration::version));
    return migrations;
  }

  /** Creates the schema if needed and applies what is missing; returns the versions applied. */
  public static Future<List<Integer>> apply(Pool pool, String schema, List<Migration> migrations) {
    return pool.withTransaction(
        conn ->
            // The lock comes first: instances starting together on a new schema would
            // otherwise race on CREATE SCHEMA itself.
            conn.query("SELECT pg_advisory_xact_lock(hashtext('freshet:' || '" + schema + "'))")
                .execute()
                .compose(r -> conn.query("CREATE SCHEMA IF NOT EXISTS " + schema).execute())
                .compose(
                    r ->
                        conn.query(
                                "CREATE TABLE IF NOT EXISTS "
                                    + schema
                                    + ".freshet_migrations (version integer PRIMARY KEY,"
                                    + " name text NOT NULL, applied_at timestamptz NOT NULL"
                                    + " DEFAULT now())")
                            .execute())
                .compose(
                    r ->
                        conn.query("SELECT version FROM " + schema + ".freshet_migrations")
                            .execute())
                .compose(
                    rows -> {
                      Set<Integer> applied = new HashSet<>();
                      for (Row row : rows) {
                        applied.add(row.getInteger(0));
                      }
                      return applyMissing(conn, schema, migrations, applied, 0, new ArrayList<>());
                    }));
  }

  private static Future<List<Integer>> applyMissing(
      SqlConnection conn,
      String schema,
      List<Migration> migrations,
      Set<Integer> applied,
      int index,
      List<Integer> done) {
    if (index == migrations.size()) {
      return Future.succeededFuture(done);
    }
    Migration m = migrations.get(index);
    if (applied.contains(m.version())) {
      return applyMissing(conn, schema, migrations, applied, index + 1, done);
    }
    return conn.query("SET LOCAL search_path TO " + schema)
        .execute()
        .compose(r -> conn.query(m.sql()).execute())
        .compose(
            r ->
                conn.preparedQuery(
                        "INSERT INTO "
                            + schema
                            + ".freshet_migrations (version, name) VALUES ($1, $2)")
                    .execute(Tuple.of(m.version(), m.name())))
        .compose(
            r -> {
              done.add(m.version());
              return applyMissing(conn, schema, migrations, applied, index + 1, done);
            });
  }
}
