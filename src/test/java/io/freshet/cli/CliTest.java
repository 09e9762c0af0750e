package io.freshet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.Digests;
import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The command line against a real Freshet, run in this JVM with its output captured: every command
 * and its exit code, the files it writes or refuses to keep, and the bad input a new user sends.
 */
@ExtendWith(VertxExtension.class)
class CliTest {

  private static FreshetFixture f;
  private static Path dir;

  /** One run: its exit code and what it printed. */
  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    f = FreshetFixture.start(vertx);
    dir = Files.createTempDirectory("freshet-cli-test");
  }

  @AfterAll
  static void stop() throws IOException {
    f.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Cli.run(
            args,
            new CliContext(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false,
                () -> {
                  throw new AssertionError("serve is not for this test");
                }));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A run against the fixture, through FRESHET_URL. */
  static Run cli(String... args) {
    return run(Map.of("FRESHET_URL", "http://127.0.0.1:" + f.freshet.port()), args);
  }

  static Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void help_everyCommand_exit0_usageErrors_exit2() {
    Run help = cli("--help");
    assertEquals(0, help.exit());
    for (String command :
        List.of(
            "serve", "validate", "plan", "ingest", "snapshot", "verify", "freshness", "drift")) {
      assertTrue(help.out().contains(command), command);
      Run own = cli(command, "--help");
      assertEquals(0, own.exit(), command);
      assertTrue(own.out().contains("Usage: freshet " + command), own.out());
    }
    assertTrue(help.out().contains("Exit codes"), help.out());
    assertEquals(2, cli("nope").exit());
    assertEquals(2, cli("ingest").exit());
    Run noLabels = cli("snapshot", "--service", "user_v1", "--out", "x.csv");
    assertEquals(2, noLabels.exit());
    assertTrue(noLabels.err().contains("--labels"), noLabels.err());
    assertEquals(2, cli("snapshot", "--labels", "l.csv", "--out", "x.csv").exit());
  }

  @Test
  void validate_goodSchemas_exit0_badOnes_exit1WithEveryProblemAsFileLine() throws IOException {
    Run good = cli("validate", "src/test/resources/schemas");
    assertEquals(0, good.exit(), good.err());
    assertTrue(good.out().contains("valid: 2 entities, 4 feature views"), good.out());
    Path bad = Files.createDirectories(dir.resolve("bad-schemas"));
    Files.writeString(
        bad.resolve("bad.yaml"),
        "entities:\n"
            + "  - name: user\n"
            + "    join_key: user_id\n"
            + "    type: int32\n"
            + "feature_views:\n"
            + "  - name: profile\n"
            + "    entity: nobody\n"
            + "    features:\n"
            + "      - name: age\n"
            + "        type: int64\n");
    Run refused = cli("validate", bad.toString());
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("bad.yaml:4: "), refused.err());
    assertTrue(refused.err().contains("bad.yaml:7: "), refused.err());
    assertTrue(refused.err().contains("problems in"), refused.err());
  }

  @Test
  void plan_sameSchemasUnchanged_changedOnesListedAsAddChangeAndNotInDir() throws IOException {
    Run same = cli("plan", "src/test/resources/schemas");
    assertEquals(0, same.exit(), same.err());
    assertTrue(same.out().contains(": 0 to add, 0 to change,"), same.out());
    Path changed = Files.createDirectories(dir.resolve("changed-schemas"));
    String text = Files.readString(Path.of("src/test/resources/schemas/test.yaml"));
    text =
        text.replace(
                "  - name: limits\n    entity: user\n    ttl: 10m",
                "  - name: limits\n    entity: user\n    ttl: 20m")
            .replace(
                "transformations:\n",
                "transformations:\n  - name: age_days\n    inputs: [profile:age]\n"
                    + "    expression: age * 365\n")
            .replace(
                "  - name: fitted_v1\n    features:\n      - profile:age\n      - score_z\n", "");
    Files.writeString(changed.resolve("test.yaml"), text);
    Run plan = cli("plan", changed.toString());
    assertEquals(0, plan.exit(), plan.err());
    assertTrue(
        plan.out().matches("(?s).*feature view\\s+limits\\s+change\\s+v1 -> v2.*"), plan.out());
    assertTrue(plan.out().matches("(?s).*transformation\\s+age_days\\s+add\\s+v1.*"), plan.out());
    assertTrue(
        plan.out().matches("(?s).*feature service\\s+fitted_v1\\s+not in DIR.*"), plan.out());
    assertTrue(
        plan.out().matches("(?s).*feature view\\s+profile\\s+unchanged\\s+v1.*"), plan.out());
    assertTrue(plan.out().contains(": 1 to add, 1 to change,"), plan.out());
  }

  private static String profileRow(int user, int age) {
    return "{\"user_id\": "
        + user
        + ", \"event_timestamp\": \""
        + FreshetFixture.at(Duration.ofMinutes(20))
        + "\", \"age\": "
        + age
        + ", \"plan\": \"pro\"}";
  }

  private static long history(int fromUser, int toUser) {
    return f.freshet
        .pool()
        .preparedQuery(
            "SELECT count(*) FROM feature_history WHERE view_name = 'profile'"
                + " AND entity_key::bigint BETWEEN $1 AND $2")
        .execute(io.vertx.sqlclient.Tuple.of(fromUser, toUser))
        .await()
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void ingest_line5000Malformed_reportsIt_batchesBeforeWrittenOnce_evenWhenRunAgain()
      throws IOException {
    StringBuilder rows = new StringBuilder();
    for (int line = 1; line <= 6000; line++) {
      rows.append(line == 5000 ? "{\"user_id\": 105000, \"age\": " : profileRow(100_000 + line, 30))
          .append('\n');
    }
    Path file = write("profiles.ndjson", rows.toString());
    Run broken = cli("ingest", "profile", file.toString());
    assertEquals(1, broken.exit());
    assertTrue(broken.err().contains("line 5000: not valid JSON"), broken.err());
    assertTrue(broken.err().contains("4,000 rows before it were written"), broken.err());
    assertEquals(4000, history(100_001, 106_000));

    // Fixed and run again: the four batches already written are not written twice.
    Files.writeString(
        file,
        rows.toString()
            .replace("{\"user_id\": 105000, \"age\": \n", profileRow(105_000, 30) + "\n"));
    Run fixed = cli("ingest", "profile", file.toString());
    assertEquals(0, fixed.exit(), fixed.err());
    assertTrue(fixed.out().contains("profile: 6,000 rows written in 6 batches"), fixed.out());
    assertEquals(6000, history(100_001, 106_000));
    Run again = cli("ingest", "profile", file.toString());
    assertEquals(0, again.exit());
    assertEquals(6000, history(100_001, 106_000), "every batch answered from its first write");
  }

  @Test
  void ingest_csv_typedByTheRegistry_aRefusedRowNamedByItsLine() throws IOException {
    String at = FreshetFixture.at(Duration.ofMinutes(20));
    Path good =
        write(
            "profiles.csv",
            "user_id,event_timestamp,age,plan,score,active\n"
                + "200001,"
                + at
                + ",41,pro,1.5,true\n"
                + "200002,"
                + at
                + ",42,basic,,\n");
    Run written = cli("ingest", "profile", good.toString(), "--batch-size", "1");
    assertEquals(0, written.exit(), written.err());
    assertEquals(2, history(200_001, 200_002));
    Path bad =
        write(
            "bad-profiles.csv",
            "user_id,event_timestamp,age,plan\n200003,"
                + at
                + ",41,pro\n200004,"
                + at
                + ",999,pro\n");
    Run refused = cli("ingest", "profile", bad.toString());
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("line 3: age: "), refused.err());
    assertTrue(refused.err().contains("nothing of it written"), refused.err());
    assertEquals(0, history(200_003, 200_004));
    assertEquals(1, cli("ingest", "no_such_view", good.toString()).exit());
    assertEquals(1, cli("ingest", "profile", dir.resolve("missing.ndjson").toString()).exit());
  }

  @Test
  void snapshot_csvLabelsWithTheirOwnFields_writtenCheckedAndVerified() throws IOException {
    // An hour after T0, a record two minutes old; labelled a second later, as known then.
    f.clock.set(FreshetFixture.T0.plus(Duration.ofHours(1)));
    f.ingest(
        "profile",
        new JsonObject()
            .put("user_id", 300_001)
            .put("event_timestamp", FreshetFixture.T0.plus(Duration.ofMinutes(58)).toString())
            .put("age", 50)
            .put("plan", "pro")
            .put("score", 0.1));
    f.clock.advance(Duration.ofSeconds(1));
    Path labels =
        write(
            "labels.csv",
            "user_id,timestamp,label,weight\n"
                + "300001,2026-11-22T11:00:01Z,1,0.5\n"
                + "300002,2026-11-22T11:00:01Z,0,1.0\n");
    Path out = dir.resolve("train.csv");
    Run snapshot =
        cli(
            "snapshot",
            "--features",
            "profile:age,profile:score,age_months",
            "--labels",
            labels.toString(),
            "--out",
            out.toString(),
            "--as-known",
            "row",
            "--include-status");
    assertEquals(0, snapshot.exit(), snapshot.err());
    assertEquals(
        "user_id,timestamp,label,weight,profile:age,profile:age__status,profile:score,"
            + "profile:score__status,age_months,age_months__status\n"
            + "300001,2026-11-22T11:00:01.000000Z,1,0.5,50,STALE,0.1,STALE,600,STALE\n"
            + "300002,2026-11-22T11:00:01.000000Z,0,1.0,,MISSING,,MISSING,,MISSING\n",
        Files.readString(out));
    JsonObject manifest = new JsonObject(Files.readString(dir.resolve("train.csv.manifest.json")));
    assertEquals(sha256(Files.readAllBytes(out)), manifest.getString("sha256"));
    assertEquals("row", manifest.getString("as_known"));
    assertFalse(Files.exists(dir.resolve("train.csv.part")));

    Run verified = cli("verify", out.toString());
    assertEquals(0, verified.exit(), verified.err());
    assertTrue(verified.out().contains("identical"), verified.out());

    Files.writeString(out, Files.readString(out).replace(",0.5,50,", ",0.5,51,"));
    Run differs = cli("verify", out.toString());
    assertEquals(1, differs.exit());
    assertTrue(differs.err().contains("from line 2 on"), differs.err());

    Path jsonl = dir.resolve("train.jsonl");
    Path ndjsonLabels =
        write(
            "labels.ndjson",
            "{\"user_id\": 300001, \"timestamp\": \"2026-11-22T11:00:01Z\", \"label\": 1.50}\n");
    Run asJsonl =
        cli(
            "snapshot",
            "--service",
            "user_v1",
            "--labels",
            ndjsonLabels.toString(),
            "--out",
            jsonl.toString(),
            "--timestamp-precision",
            "stored");
    assertEquals(0, asJsonl.exit(), asJsonl.err());
    assertTrue(
        Files.readString(jsonl)
            .startsWith(
                "{\"user_id\":300001,\"timestamp\":\"2026-11-22T11:00:01Z\",\"label\":1.50,"),
        Files.readString(jsonl));
    assertEquals(0, cli("verify", jsonl.toString()).exit());
  }

  @Test
  void snapshot_badLabels_clearMessageNonZeroExit_nothingWritten() throws IOException {
    Path out = dir.resolve("refused.csv");
    Map<String, String> labels =
        Map.of(
            "user_id,timestamp\n1,2026-11-22T10:00:00\n", "row 0 timestamp",
            "customer_id,timestamp\n1,2026-11-22T10:00:00Z\n", "row 0 lacks join key 'user_id'",
            "user_id\n1\n", "row 0 lacks timestamp",
            "user_id,Timestamp\n1,2026-11-22T10:00:00Z\n", "unknown field 'Timestamp'");
    int n = 0;
    for (Map.Entry<String, String> bad : labels.entrySet()) {
      Path file = write("bad-labels-" + n++ + ".csv", bad.getKey());
      Run r =
          cli(
              "snapshot",
              "--service",
              "user_v1",
              "--labels",
              file.toString(),
              "--out",
              out.toString());
      assertEquals(1, r.exit(), bad.getKey());
      assertTrue(r.err().contains(bad.getValue()), r.err());
      assertFalse(Files.exists(out));
      assertFalse(Files.exists(dir.resolve("refused.csv.part")));
    }
  }

  @Test
  void wrongToken_exit1Unauthorized_noServer_exit3(Vertx vertx) throws IOException {
    try (FreshetFixture guarded =
        FreshetFixture.start(vertx, o -> o.readToken("r-secret").writeToken("w-secret"))) {
      String url = "http://127.0.0.1:" + guarded.freshet.port();
      Run wrong = run(Map.of("FRESHET_URL", url, "FRESHET_READ_TOKEN", "nope"), "freshness");
      assertEquals(1, wrong.exit());
      assertTrue(wrong.err().contains("401 unauthorized"), wrong.err());
      Run right = run(Map.of("FRESHET_URL", url, "FRESHET_READ_TOKEN", "r-secret"), "freshness");
      assertEquals(0, right.exit(), right.err());
      Path file = write("one.ndjson", profileRow(400_001, 30) + "\n");
      Map<String, String> env = new HashMap<>();
      env.put("FRESHET_URL", url);
      env.put("FRESHET_READ_TOKEN", "r-secret");
      Run readOnly = run(env, "ingest", "profile", file.toString());
      assertEquals(1, readOnly.exit());
      env.put("FRESHET_WRITE_TOKEN", "w-secret");
      assertEquals(0, run(env, "ingest", "profile", file.toString()).exit());
    }
    Run unreachable = run(Map.of(), "freshness", "--url", "http://127.0.0.1:1");
    assertEquals(3, unreachable.exit());
    assertTrue(unreachable.err().contains("cannot reach http://127.0.0.1:1"), unreachable.err());
  }

  @Test
  void freshness_aTableOfEveryView() {
    Run r = cli("freshness");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = new ArrayList<>(r.out().lines().toList());
    assertTrue(lines.get(0).startsWith("VIEW"), r.out());
    assertTrue(r.out().contains("limits"), r.out());
    assertTrue(r.out().contains("1m / 5m"), r.out());
  }

  @Test
  void drift_withoutBaseline_saysSo_withOne_aTableOfFeatures() throws IOException {
    Run none = cli("drift", "watched_v1");
    assertEquals(0, none.exit(), none.err());
    assertTrue(none.out().startsWith("watched_v1: NO_BASELINE, 0 rows sampled in 2h"), none.out());

    f.ingest(
        "profile", FreshetFixture.profile(400_001, FreshetFixture.at(Duration.ofMinutes(1)), 33));
    Api.Response snapshot =
        f.api.post(
            "/v1/features/historical",
            new JsonObject()
                .put("feature_service", "watched_v1")
                .put(
                    "rows",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("user_id", 400_001)
                                .put("timestamp", FreshetFixture.T0.toString()))));
    assertEquals(200, snapshot.status());
    Run set = cli("drift", "watched_v1", "--baseline", snapshot.snapshotId(), "--window", "30m");
    assertEquals(0, set.exit(), set.err());
    assertTrue(set.out().contains("baseline: snapshot " + snapshot.snapshotId()), set.out());
    assertTrue(set.out().contains("INSUFFICIENT_DATA, 0 rows sampled in 30m"), set.out());
    assertTrue(set.out().contains("FEATURE"), set.out());
    assertTrue(set.out().contains("profile:age"), set.out());

    Run unknown = cli("drift", "nope");
    assertEquals(1, unknown.exit());
    assertTrue(unknown.err().contains("unknown feature service 'nope'"), unknown.err());
  }

  static String sha256(byte[] bytes) {
    MessageDigest digest = Digests.create("SHA-256");
    digest.update(bytes);
    return Digests.hex(digest);
  }
}
