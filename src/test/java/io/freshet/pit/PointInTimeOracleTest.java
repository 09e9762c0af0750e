package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Point-in-time lookups against an oracle kept in the test: random histories of three views (one
 * {@code serve}, one {@code nullify}, one {@code reject}) with duplicate, out-of-order, corrected,
 * late and backfilled events over several ingest batches, then thousands of label rows compared
 * cell by cell, in jsonl and in csv, with every combination of the serving-faithful options. The
 * rule the oracle implements is the documented as-of rule (src/site/markdown/design.md): the record
 * with the greatest (event_ts, ingested_at) such that event_ts ≤ t and ingested_at ≤ cutoff (and ≤
 * t as known at the row); null when none or t − event_ts > ttl; its status by age at t; with {@code
 * apply_freshness}, a {@code nullify} or {@code reject} view's ROTTEN value is null with its event
 * time kept. Statuses and values as known at the row are also held to what online reads answered at
 * those very instants, the clock frozen there while the history was written.
 *
 * <p>The seed is printed; run with {@code -Dfreshet.pit.seed=N} to replay another one.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PointInTimeOracleTest {

  private static final long SEED = Long.getLong("freshet.pit.seed", 20261122L);
  private static final int USERS = 300;

  /** Label rows also name users 301..320, who never had any data. */
  private static final int LABEL_USERS = 320;

  private static final int LABEL_ROWS = 3000;
  private static final int BATCHES = 6;
  private static final long TTL = 3_600_000_000L; // profile and risk: 1h
  private static final long LIMITS_TTL = 600_000_000L; // limits: 10m, on_rotten reject
  private static final long FRESH = 60_000_000L; // every view: fresh 1m
  private static final long STALE = 300_000_000L; // every view: stale 5m; risk nullifies
  private static final long MINUTE = 60_000_000L;
  private static final List<String> VIEWS = List.of("profile", "risk", "limits");
  private static final List<String> FEATURES =
      List.of(
          "profile:age",
          "profile:plan",
          "risk:risk_score",
          "limits:daily_limit",
          "age_months",
          "risk_per_year");
  private static final List<String> COLUMNS = columns(Options.DEFAULT);
  private static final String NDJSON = "application/x-ndjson";

  private static FreshetFixture f;
  private static HttpClient http;
  private static String base;
  private static Random rnd;
  private static long t0;

  /** view -> user -> every record written, in write order. */
  private static final Map<String, Map<Long, List<Rec>>> HISTORY = new HashMap<>();

  private static List<Label> labels;
  private static String firstJsonlBody;
  private static String firstJsonlCutoff;

  /** What online reads answered at instants of the setup, for snapshots as known at the row. */
  private static final List<Served> SERVED = new ArrayList<>();

  /**
   * One stored record; {@code age}/{@code plan} for profile, {@code score} for risk, {@code limit}
   * for limits.
   */
  record Rec(long event, long ingested, long age, String plan, double score, long limit) {}

  /** The historical options a request sends; the oracle follows them. */
  record Options(boolean asKnownAtRow, boolean applyFreshness, boolean includeStatus) {
    static final Options DEFAULT = new Options(false, false, false);
    static final Options ALL = new Options(true, true, true);

    JsonObject into(JsonObject request) {
      return request
          .put("as_known", asKnownAtRow ? "row" : "cutoff")
          .put("apply_freshness", applyFreshness)
          .put("include_status", includeStatus);
    }
  }

  /** One user's values and statuses as an online read answered them with the clock at {@code t}. */
  record Served(long user, long t, Map<String, Object> values, Map<String, String> statuses) {}

  /** One label row: the user and its time, with the text the request sends for it. */
  record Label(long user, long t, String text) {}

  /** A cell that differs from the oracle. */
  record Mismatch(int row, Label label, String column, Object expected, Object actual) {}

  /** A response read whole. */
  record Http(int status, String contentType, String snapshotId, byte[] bytes) {
    String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    JsonObject json() {
      return new JsonObject(body());
    }
  }

  @BeforeAll
  // A dozen ingest batches: a loaded machine can take longer than the default 20 s.
  @Timeout(90)
  static void start(Vertx vertx) {
    System.out.println(
        "PointInTimeOracleTest seed = " + SEED + " (-Dfreshet.pit.seed=N to change)");
    long started = System.nanoTime();
    rnd = new Random(SEED);
    f = FreshetFixture.start(vertx);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    base = "http://127.0.0.1:" + f.freshet.port();
    t0 = micros(FreshetFixture.T0);
    f.clock.set(FreshetFixture.T0);
    for (int b = 0; b < BATCHES; b++) {
      long last = 0;
      for (String view : VIEWS) {
        last = ingestBatch(view);
      }
      readOnlineAt(last);
      // Every batch gets its own ingested_at even without the per-process bump.
      f.clock.advance(Duration.ofMinutes(12));
    }
    labels = labels();
    System.out.printf(
        "setup: %d ingested records, %d ms%n",
        HISTORY.values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).sum(),
        (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Tests

  @Test
  @Order(1)
  void historical_ndjsonRequestJsonlOutput_everyCellMatchesOracle_manifestHashAndLeakage() {
    Http r = post("/v1/features/historical", NDJSON, ndjsonRequest("jsonl", null));
    assertEquals(200, r.status(), r::body);
    assertTrue(r.contentType() != null && r.contentType().startsWith(NDJSON), r.contentType());
    JsonObject manifest = manifestOf(r);
    long cutoff = parseMicros(manifest.getString("cutoff"));
    assertEquals(micros(f.clock.instant()), cutoff, "cutoff defaults to the request's start time");

    List<Mismatch> mismatches = compare(parseJsonl(r.body()), cutoff);
    reportMismatches("jsonl", mismatches);
    assertManifest(manifest, r.bytes());

    firstJsonlBody = r.body();
    firstJsonlCutoff = manifest.getString("cutoff");

    // The same request as one JSON body, with that cutoff: the very same bytes.
    Http again =
        post("/v1/features/historical", "application/json", jsonRequest("jsonl", firstJsonlCutoff));
    assertEquals(200, again.status(), again::body);
    assertEquals(firstJsonlBody, again.body(), "JSON body with the manifest's cutoff");
    assertEquals(
        manifest.getString("rows_sha256"),
        manifestOf(again).getString("rows_sha256"),
        "the same rows, whichever body carried them");
  }

  @Test
  @Order(2)
  void historical_jsonRequestCsvOutput_everyCellMatchesOracle_manifestHashAndLeakage() {
    Http r = post("/v1/features/historical", "application/json", jsonRequest("csv", null));
    assertEquals(200, r.status(), r::body);
    assertTrue(r.contentType() != null && r.contentType().startsWith("text/csv"), r.contentType());
    JsonObject manifest = manifestOf(r);
    long cutoff = parseMicros(manifest.getString("cutoff"));

    List<List<String>> table = parseCsv(r.body());
    assertTrue(!table.isEmpty(), "no header line");
    assertEquals(COLUMNS, table.get(0), "csv header");
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 1; i < table.size(); i++) {
      List<String> fields = table.get(i);
      if (fields.size() == 1 && fields.get(0).startsWith("#error")) {
        fail("stream ended with an error line: " + fields.get(0));
      }
      assertEquals(COLUMNS.size(), fields.size(), "fields of csv line " + (i + 1));
      List<Object> row = new ArrayList<>();
      for (int c = 0; c < COLUMNS.size(); c++) {
        row.add(fromCsv(COLUMNS.get(c), fields.get(c)));
      }
      rows.add(row);
    }
    reportMismatches("csv", compare(rows, cutoff));
    assertManifest(manifest, r.bytes());
  }

  @Test
  @Order(3)
  void asOfLookup_sampleOfEntitiesAndTimes_matchesOracleOr404() {
    long cutoff = micros(f.clock.instant());
    int found = 0;
    int missing = 0;
    int nullified = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Label label = labels.get((int) ((long) i * labels.size() / 400));
      // Even samples read the serve view, odd ones the nullify view.
      String view = i % 2 == 0 ? "profile" : "risk";
      Http r = get("/v1/features/" + view + "/" + label.user() + "?at=" + enc(label.text()));
      Rec expected = asOf(view, label.user(), label.t(), cutoff);
      String where = "GET " + view + "/" + label.user() + "?at=" + label.text();
      if (expected == null) {
        missing++;
        if (r.status() != 404 || !"not_found".equals(errorOf(r))) {
          failures.add(where + ": expected 404 not_found, got " + r.status() + " " + r.body());
        }
        continue;
      }
      found++;
      if (r.status() != 200) {
        failures.add(where + ": expected 200 " + expected + ", got " + r.status() + " " + r.body());
        continue;
      }
      JsonObject body = r.json();
      JsonObject values = body.getJsonObject("values", new JsonObject());
      List<String> wrong = new ArrayList<>();
      if (!view.equals(body.getString("view"))) {
        wrong.add("view=" + body.getValue("view"));
      }
      if (!new JsonObject().put("user_id", label.user()).equals(body.getJsonObject("entity"))) {
        wrong.add("entity=" + body.getValue("entity"));
      }
      if (!Objects.equals(format(expected.event()), body.getString("event_timestamp"))) {
        wrong.add(
            "event_timestamp "
                + format(expected.event())
                + " != "
                + body.getValue("event_timestamp"));
      }
      if (!Objects.equals(format(expected.ingested()), body.getString("ingested_at"))) {
        wrong.add(
            "ingested_at " + format(expected.ingested()) + " != " + body.getValue("ingested_at"));
      }
      if (view.equals("profile")) {
        Object age = values.getValue("age");
        if (!(age instanceof Number) || ((Number) age).longValue() != expected.age()) {
          wrong.add("age " + expected.age() + " != " + age);
        }
        if (!expected.plan().equals(values.getValue("plan"))) {
          wrong.add("plan " + expected.plan() + " != " + values.getValue("plan"));
        }
      } else {
        // nullify: older than the stale threshold at `at`, the value is null, its record kept.
        boolean rotten = label.t() - expected.event() > STALE;
        nullified += rotten ? 1 : 0;
        Object score = values.getValue("risk_score");
        Object want = rotten ? null : expected.score();
        Object got = score instanceof Number ? (Object) ((Number) score).doubleValue() : score;
        if (!values.containsKey("risk_score") || !Objects.equals(want, got)) {
          wrong.add("risk_score " + want + " != " + score);
        }
      }
      if (!wrong.isEmpty()) {
        failures.add(where + ": " + wrong + " in " + r.body());
      }
    }
    // An unknown view and a zone-less time are refused.
    Http unknownView = get("/v1/features/nope/1?at=" + enc(FreshetFixture.T0.toString()));
    if (unknownView.status() != 404 || !"not_found".equals(errorOf(unknownView))) {
      failures.add("unknown view: " + unknownView.status() + " " + unknownView.body());
    }
    Http zoneless = get("/v1/features/profile/1?at=2026-11-22T10:00:00");
    if (zoneless.status() != 400 || !"bad_request".equals(errorOf(zoneless))) {
      failures.add("zone-less at: " + zoneless.status() + " " + zoneless.body());
    }
    if (!failures.isEmpty()) {
      failures.stream().limit(10).forEach(System.out::println);
      fail(failures.size() + " single lookups differ from the oracle; first: " + failures.get(0));
    }
    assertTrue(
        found > 100 && missing > 20 && nullified > 10,
        "sample covers found=" + found + " missing=" + missing + " nullified=" + nullified);
  }

  @Test
  @Order(4)
  void refused_zonelessTimestamp_400BeforeStreamingNoSnapshot() {
    assertRefused(rowsRequest(row(1, "2026-11-22T10:00:00")), 400, "bad_request");
  }

  @Test
  @Order(5)
  void refused_malformedTimestamp_400BeforeStreamingNoSnapshot() {
    assertRefused(rowsRequest(row(1, "2026-11-22 soon")), 400, "bad_request");
    assertRefused(rowsRequest(row(1, "2026-13-45T10:00:00Z")), 400, "bad_request");
  }

  @Test
  @Order(6)
  void refused_missingJoinKey_400BeforeStreamingNoSnapshot() {
    assertRefused(
        rowsRequest(new JsonObject().put("timestamp", FreshetFixture.T0.toString())),
        400,
        "bad_request");
  }

  @Test
  @Order(7)
  void refused_wrongJoinKeyType_400BeforeStreamingNoSnapshot() {
    assertRefused(
        rowsRequest(row(1, FreshetFixture.T0.toString()).put("user_id", "12")), 400, "bad_request");
    assertRefused(
        rowsRequest(row(1, FreshetFixture.T0.toString()).put("user_id", 1.5)), 400, "bad_request");
  }

  @Test
  @Order(8)
  void refused_unknownFeature_404BeforeStreamingNoSnapshot() {
    JsonObject request =
        rowsRequest().put("features", new JsonArray().add("profile:age").add("profile:nope"));
    assertRefused(request, 404, "not_found");
    assertRefusedNdjson(
        new JsonObject().put("features", new JsonArray().add("nope:age")), 404, "not_found");
  }

  /** One snapshot thread joins and encodes every part and chunk in turn: the same bytes. */
  @Test
  @Order(11)
  void oneSnapshotThread_sameBytes() {
    FreshetFixture one = f.startPeer(o -> o.snapshotThreads(1));
    try {
      Api.Response r =
          one.api.post(
              "/v1/features/historical",
              "application/json",
              jsonRequest("jsonl", firstJsonlCutoff));
      assertEquals(200, r.status(), () -> r.body().toString());
      assertEquals(firstJsonlBody, r.body().toString());
    } finally {
      one.stop();
    }
  }

  /**
   * Every combination of as_known, apply_freshness and include_status against the oracle, in jsonl
   * (and all three in csv); each is recorded in the manifest, and the manifest's request sent with
   * the same rows gives the same bytes and label digest.
   */
  @Test
  @Order(12)
  void historical_servingFaithfulOptions_everyCombinationMatchesOracle_reRunsFromItsManifest() {
    for (boolean atRow : List.of(false, true)) {
      for (boolean police : List.of(false, true)) {
        for (boolean status : List.of(false, true)) {
          Options options = new Options(atRow, police, status);
          String what = "jsonl " + options;
          Http r =
              post(
                  "/v1/features/historical",
                  NDJSON,
                  ndjsonRequest(options.into(options("jsonl", null)), labelRows()));
          assertEquals(200, r.status(), r::body);
          JsonObject manifest = manifestOf(r);
          long cutoff = parseMicros(manifest.getString("cutoff"));
          reportMismatches(what, compare(parseJsonl(r.body(), options), cutoff, options));
          assertManifest(manifest, r.bytes());
          assertEquals(atRow ? "row" : "cutoff", manifest.getString("as_known"), what);
          assertEquals(police, manifest.getBoolean("apply_freshness"), what);
          assertEquals(status, manifest.getBoolean("include_status"), what);
          Http again =
              post(
                  "/v1/features/historical",
                  NDJSON,
                  ndjsonRequest(manifest.getJsonObject("request"), labelRows()));
          assertEquals(200, again.status(), again::body);
          assertTrue(
              Arrays.equals(r.bytes(), again.bytes()),
              what
                  + ": the manifest's request differs: "
                  + firstDifference(r.body(), again.body()));
          assertEquals(
              manifest.getString("rows_sha256"), manifestOf(again).getString("rows_sha256"));
        }
      }
    }
    Options all = Options.ALL;
    Http csv =
        post(
            "/v1/features/historical",
            NDJSON,
            ndjsonRequest(all.into(options("csv", null)), labelRows()));
    assertEquals(200, csv.status(), csv::body);
    JsonObject manifest = manifestOf(csv);
    List<String> columns = columns(all);
    List<List<String>> table = parseCsv(csv.body());
    assertEquals(columns, table.get(0), "csv header");
    List<List<Object>> rows = new ArrayList<>();
    for (List<String> fields : table.subList(1, table.size())) {
      assertEquals(columns.size(), fields.size(), fields::toString);
      List<Object> row = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        row.add(fromCsv(columns.get(c), fields.get(c)));
      }
      rows.add(row);
    }
    long cutoff = parseMicros(manifest.getString("cutoff"));
    reportMismatches("csv " + all, compare(rows, cutoff, all));
    assertManifest(manifest, csv.bytes());

    // The data holds every case the options are about, so the oracle's agreement means something.
    int backfilled = 0;
    int nullified = 0;
    int refused = 0;
    for (Label label : labels) {
      for (String view : VIEWS) {
        Rec known = asOf(view, label.user(), label.t(), cutoff, false);
        if (known != null && known.ingested() > label.t()) {
          backfilled++;
        }
      }
      Rec risk = asOf("risk", label.user(), label.t(), cutoff);
      nullified += risk != null && status(risk, label.t()).equals("ROTTEN") ? 1 : 0;
      Rec limit = asOf("limits", label.user(), label.t(), cutoff);
      refused += limit != null && status(limit, label.t()).equals("ROTTEN") ? 1 : 0;
    }
    System.out.printf(
        "values ingested after their row's time: %d; ROTTEN nullify values: %d; ROTTEN reject"
            + " values: %d%n",
        backfilled, nullified, refused);
    assertTrue(
        backfilled > 100 && nullified > 50 && refused > 10,
        "backfilled=" + backfilled + " nullified=" + nullified + " refused=" + refused);
  }

  /**
   * As known at the row, with freshness applied, a snapshot row at an instant gives each value and
   * status an online read gave at that instant, with the clock frozen there as the history was
   * written: serving and training see the same staleness.
   */
  @Test
  @Order(13)
  void historical_asKnownAtRow_givesWhatOnlineReadsAnsweredAtThoseInstants() {
    List<JsonObject> rows = new ArrayList<>();
    for (Served served : SERVED) {
      rows.add(new JsonObject().put("user_id", served.user()).put("timestamp", format(served.t())));
    }
    Options all = Options.ALL;
    Http r =
        post(
            "/v1/features/historical",
            NDJSON,
            ndjsonRequest(all.into(options("jsonl", null)), rows));
    assertEquals(200, r.status(), r::body);
    String[] lines = r.body().split("\n");
    assertEquals(SERVED.size(), lines.length);
    List<String> differences = new ArrayList<>();
    Set<String> statuses = new HashSet<>();
    for (int i = 0; i < lines.length; i++) {
      JsonObject line = new JsonObject(lines[i]);
      Served served = SERVED.get(i);
      for (String feature : FEATURES) {
        Object value = fromJson(feature, line.getValue(feature));
        String status = line.getString(feature + "__status");
        statuses.add(status);
        if (!Objects.equals(served.values().get(feature), value)
            || !served.statuses().get(feature).equals(status)) {
          differences.add(
              "user "
                  + served.user()
                  + " at "
                  + format(served.t())
                  + " "
                  + feature
                  + ": online "
                  + served.values().get(feature)
                  + " "
                  + served.statuses().get(feature)
                  + ", snapshot "
                  + value
                  + " "
                  + status);
        }
      }
    }
    differences.stream().limit(10).forEach(System.out::println);
    assertEquals(List.of(), differences.stream().limit(10).toList());
    System.out.println(
        SERVED.size() + " online reads matched by snapshot rows; statuses seen " + statuses);
    assertTrue(
        SERVED.size() > 100 && statuses.containsAll(List.of("FRESH", "STALE", "ROTTEN", "MISSING")),
        SERVED.size() + " reads, statuses " + statuses);
  }

  @Test
  @Order(9)
  void refused_unknownFeatureService_404BeforeStreamingNoSnapshot() {
    JsonObject request = rowsRequest();
    request.remove("features");
    request.put("feature_service", "no_such_service");
    assertRefused(request, 404, "not_found");
    assertRefusedNdjson(
        new JsonObject().put("feature_service", "no_such_service"), 404, "not_found");
  }

  @Test
  @Order(10)
  void refused_emptyRows_400NoSnapshot() {
    assertRefused(
        new JsonObject().put("features", new JsonArray(FEATURES)).put("rows", new JsonArray()),
        400,
        "bad_request");
    assertRefusedNdjson(
        new JsonObject().put("features", new JsonArray(FEATURES)), 400, "bad_request");
  }

  @Test
  @Order(20)
  void reproducible_lateDataAfterSnapshot_sameCutoffGivesSameBytesAndSha256() throws Exception {
    Http first = post("/v1/features/historical", NDJSON, ndjsonRequest("jsonl", null));
    assertEquals(200, first.status(), first::body);
    JsonObject firstManifest = manifestOf(first);
    String cutoffText = firstManifest.getString("cutoff");
    long cutoff = parseMicros(cutoffText);
    reportMismatches("jsonl before late data", compare(parseJsonl(first.body()), cutoff));
    assertManifest(firstManifest, first.bytes());
    if (firstJsonlBody != null) {
      assertEquals(firstJsonlBody, first.body(), "no data arrived since the first jsonl snapshot");
    }

    Http faithful =
        post(
            "/v1/features/historical",
            NDJSON,
            ndjsonRequest(Options.ALL.into(options("jsonl", null)), labelRows()));
    assertEquals(200, faithful.status(), faithful::body);
    JsonObject faithfulManifest = manifestOf(faithful);

    // Late data: newer ingested_at, event times before many label times.
    f.clock.advance(Duration.ofMinutes(10));
    int changed = ingestLate();
    f.clock.advance(Duration.ofMinutes(1));

    Http faithfulReplay =
        post(
            "/v1/features/historical",
            NDJSON,
            ndjsonRequest(faithfulManifest.getJsonObject("request"), labelRows()));
    assertTrue(
        Arrays.equals(faithful.bytes(), faithfulReplay.bytes()),
        "as known at the row, freshness applied, statuses: the replay differs after late data: "
            + firstDifference(faithful.body(), faithfulReplay.body()));
    Http faithfulNow =
        post(
            "/v1/features/historical",
            NDJSON,
            ndjsonRequest(Options.ALL.into(options("jsonl", null)), labelRows()));
    reportMismatches(
        "as known at the row after late data",
        compare(
            parseJsonl(faithfulNow.body(), Options.ALL),
            parseMicros(manifestOf(faithfulNow).getString("cutoff")),
            Options.ALL));

    Http replay = post("/v1/features/historical", NDJSON, ndjsonRequest("jsonl", cutoffText));
    assertEquals(200, replay.status(), replay::body);
    assertTrue(
        Arrays.equals(first.bytes(), replay.bytes()),
        "replay with the manifest's cutoff differs after late data: "
            + firstDifference(first.body(), replay.body()));
    JsonObject replayManifest = manifestOf(replay);
    assertEquals(firstManifest.getString("sha256"), replayManifest.getString("sha256"));
    assertEquals(cutoff, parseMicros(replayManifest.getString("cutoff")));
    assertManifest(replayManifest, replay.bytes());

    // Without a cutoff the late data counts, and still matches the oracle.
    Http now = post("/v1/features/historical", NDJSON, ndjsonRequest("jsonl", null));
    assertEquals(200, now.status(), now::body);
    JsonObject nowManifest = manifestOf(now);
    long nowCutoff = parseMicros(nowManifest.getString("cutoff"));
    reportMismatches("jsonl after late data", compare(parseJsonl(now.body()), nowCutoff));
    assertManifest(nowManifest, now.bytes());
    assertTrue(changed > 0, "late data changed no label row's expected output");
    assertNotEquals(firstManifest.getString("sha256"), nowManifest.getString("sha256"));
  }

  // ---------------------------------------------------------------------------------------------
  // Data

  /** Ingests a batch of random records; answers their ingested_at. */
  private static long ingestBatch(String view) {
    long now = micros(f.clock.instant());
    JsonArray rows = new JsonArray();
    List<Rec> pending = new ArrayList<>();
    List<Long> users = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (long user = 1; user <= USERS; user++) {
      // Every tenth user never has a profile, another tenth never a risk score or limit.
      if (user % 10 == (view.equals("profile") ? 0 : view.equals("risk") ? 5 : 7)) {
        continue;
      }
      if (rnd.nextDouble() >= 0.55) {
        continue;
      }
      int n = 1 + rnd.nextInt(3);
      for (int k = 0; k < n; k++) {
        long event = pickEventTime(view, user, now);
        if (!seen.add(user + "@" + event)) {
          continue; // one batch may not hold the same (key, instant) twice
        }
        Rec rec = record(view, event, 0);
        rows.add(ingestRow(view, user, event, rec));
        pending.add(rec);
        users.add(user);
      }
    }
    return ingestAndRemember(view, rows, pending, users);
  }

  /** Ingests one batch and records it in the oracle with the ingested_at the server gave it. */
  private static long ingestAndRemember(
      String view, JsonArray rows, List<Rec> pending, List<Long> users) {
    long ingested = ingest(view, rows);
    for (int i = 0; i < pending.size(); i++) {
      Rec rec = pending.get(i);
      HISTORY
          .computeIfAbsent(view, v -> new HashMap<>())
          .computeIfAbsent(users.get(i), u -> new ArrayList<>())
          .add(new Rec(rec.event(), ingested, rec.age(), rec.plan(), rec.score(), rec.limit()));
    }
    return ingested;
  }

  /**
   * Freezes the clock at {@code t}, the last batch's ingested_at, and keeps what online reads
   * answer for a sample of users: the values and statuses a snapshot row at {@code t} must give as
   * known at the row. A user with a record whose event is after {@code t} is left out: serving
   * returns such a record (age 0), a point-in-time row never does.
   */
  private static void readOnlineAt(long t) {
    f.clock.set(toInstant(t));
    List<String> others = new ArrayList<>(FEATURES);
    others.remove("limits:daily_limit");
    for (int i = 0; i < 40; i++) {
      long user = 1 + rnd.nextInt(LABEL_USERS);
      if (knowsAFutureEvent(user, t)) {
        continue;
      }
      Map<String, Object> values = new HashMap<>();
      Map<String, String> statuses = new HashMap<>();
      // From the warm tier: this is about what serving knew at t, not about the hot tier's
      // caching, which has tests of its own.
      f.clearHot();
      JsonObject entities = new JsonObject().put("user_id", new JsonArray().add(user));
      Api.Response read =
          f.online(
              new JsonObject().put("features", new JsonArray(others)).put("entities", entities));
      assertEquals(200, read.status(), () -> read.body().toString());
      JsonObject result = read.json().getJsonArray("results").getJsonObject(0);
      for (String feature : others) {
        values.put(feature, fromJson(feature, result.getJsonObject("values").getValue(feature)));
        statuses.put(
            feature, result.getJsonObject("meta").getJsonObject(feature).getString("status"));
      }
      // A reject view is read alone: its ROTTEN value refuses the whole request.
      Api.Response limit =
          f.online(
              new JsonObject()
                  .put("features", new JsonArray().add("limits:daily_limit"))
                  .put("entities", entities));
      if (limit.status() == 409) {
        // Refused: serving gave no value. A training row gives the value, flagged ROTTEN.
        assertEquals("freshness_violated", limit.error());
        Rec known = asOf("limits", user, t, t, true);
        values.put("limits:daily_limit", known.limit());
        statuses.put("limits:daily_limit", "ROTTEN");
      } else {
        assertEquals(200, limit.status(), () -> limit.body().toString());
        JsonObject got = limit.json().getJsonArray("results").getJsonObject(0);
        values.put(
            "limits:daily_limit",
            fromJson(
                "limits:daily_limit", got.getJsonObject("values").getValue("limits:daily_limit")));
        statuses.put(
            "limits:daily_limit",
            got.getJsonObject("meta").getJsonObject("limits:daily_limit").getString("status"));
      }
      SERVED.add(new Served(user, t, values, statuses));
    }
  }

  private static boolean knowsAFutureEvent(long user, long t) {
    for (String view : VIEWS) {
      for (Rec rec : HISTORY.getOrDefault(view, Map.of()).getOrDefault(user, List.of())) {
        if (rec.ingested() <= t && rec.event() > t) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A correction of an earlier event, the other view's time, or a random time up to now + 4 min.
   */
  private static long pickEventTime(String view, long user, long now) {
    List<Rec> own = HISTORY.getOrDefault(view, Map.of()).getOrDefault(user, List.of());
    double r = rnd.nextDouble();
    if (!own.isEmpty() && r < 0.2) {
      return own.get(rnd.nextInt(own.size())).event(); // correction: same time, later batch
    }
    List<Rec> others = new ArrayList<>();
    for (String other : VIEWS) {
      if (!other.equals(view)) {
        others.addAll(HISTORY.getOrDefault(other, Map.of()).getOrDefault(user, List.of()));
      }
    }
    if (!others.isEmpty() && r < 0.3) {
      return others.get(rnd.nextInt(others.size())).event();
    }
    return randomTime(t0 - 150 * MINUTE, now + 4 * MINUTE);
  }

  private static Rec record(String view, long event, long ingested) {
    if (view.equals("profile")) {
      long age = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(151);
      return new Rec(event, ingested, age, rnd.nextBoolean() ? "basic" : "pro", 0, 0);
    }
    if (view.equals("limits")) {
      return new Rec(event, ingested, 0, null, 0, rnd.nextInt(10_000));
    }
    double score = rnd.nextInt(12) == 0 ? 0.0 : rnd.nextInt(1000) / 100.0;
    return new Rec(event, ingested, 0, null, score, 0);
  }

  private static JsonObject ingestRow(String view, long user, long event, Rec rec) {
    JsonObject row = new JsonObject().put("user_id", user).put("event_timestamp", text(event));
    if (view.equals("profile")) {
      row.put("age", rec.age()).put("plan", rec.plan());
      if (rnd.nextBoolean()) {
        row.put("score", rnd.nextInt(2000) / 100.0 - 10).put("active", rnd.nextBoolean());
      }
    } else if (view.equals("limits")) {
      row.put("daily_limit", rec.limit());
    } else {
      row.put("risk_score", rec.score());
    }
    return row;
  }

  private static long ingest(String view, JsonArray rows) {
    JsonObject ack =
        f.ingest(view, rows.stream().map(JsonObject.class::cast).toArray(JsonObject[]::new));
    assertEquals(rows.size(), ack.getInteger("accepted"));
    return parseMicros(ack.getString("ingested_at"));
  }

  /**
   * Late records for 200 users in each view, all with event times in the label range; returns how
   * many label rows' expected output they change.
   */
  private static int ingestLate() {
    long before = micros(f.clock.instant());
    Map<Label, List<Object>> old = new HashMap<>();
    for (Label label : labels) {
      old.put(label, expected(label, before, Options.DEFAULT));
    }
    for (String view : VIEWS) {
      JsonArray rows = new JsonArray();
      List<Rec> pending = new ArrayList<>();
      List<Long> users = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        long user = 1 + rnd.nextInt(USERS);
        long event = randomTime(t0 - 150 * MINUTE, t0 + 30 * MINUTE);
        if (!seen.add(user + "@" + event)) {
          continue;
        }
        Rec rec = record(view, event, 0);
        rows.add(ingestRow(view, user, event, rec));
        pending.add(rec);
        users.add(user);
      }
      ingestAndRemember(view, rows, pending, users);
    }
    long after = Long.MAX_VALUE;
    int changed = 0;
    for (Label label : labels) {
      if (!old.get(label).equals(expected(label, after, Options.DEFAULT))) {
        changed++;
      }
    }
    System.out.println("late data changes " + changed + " of " + labels.size() + " label rows");
    return changed;
  }

  /**
   * Label rows: random times, event times exactly, just before, before any event, ttl and stale
   * edges.
   */
  private static List<Label> labels() {
    long end = micros(f.clock.instant());
    List<Label> out = new ArrayList<>(LABEL_ROWS);
    int[] kinds = new int[9];
    for (int i = 0; i < LABEL_ROWS; i++) {
      long user = 1 + rnd.nextInt(LABEL_USERS);
      List<Long> events = new ArrayList<>();
      for (String view : VIEWS) {
        for (Rec rec : HISTORY.get(view).getOrDefault(user, List.of())) {
          events.add(rec.event());
        }
      }
      double r = rnd.nextDouble();
      long t;
      int kind;
      if (events.isEmpty() || r < 0.40) {
        kind = 0;
        t = randomTime(t0 - 180 * MINUTE, end + 90 * MINUTE);
      } else {
        long event = events.get(rnd.nextInt(events.size()));
        if (r < 0.55) {
          kind = 1;
          t = event; // exactly an event time
        } else if (r < 0.60) {
          kind = 2;
          t = event - 1;
        } else if (r < 0.67) {
          kind = 3;
          t =
              events.stream().mapToLong(Long::longValue).min().orElseThrow()
                  - 1
                  - rnd.nextInt(3_600_000) * 1000L;
        } else if (r < 0.72) {
          kind = 4;
          t = event + TTL; // still within ttl
        } else if (r < 0.80) {
          kind = 5;
          t = event + TTL + (rnd.nextBoolean() ? 1 : 1 + rnd.nextInt(3_600_000) * 1000L);
        } else if (r < 0.86) {
          kind = 6;
          t = event + STALE; // still STALE, not ROTTEN
        } else if (r < 0.92) {
          kind = 7;
          t = event + STALE + 1;
        } else {
          kind = 8;
          t = event + rnd.nextInt(600_000) * 1000L;
        }
      }
      kinds[kind]++;
      out.add(new Label(user, t, text(t)));
    }
    System.out.println(
        "label rows by kind (random, exact, -1us, before any, ttl, >ttl, stale, >stale, near): "
            + Arrays.toString(kinds));
    return out;
  }

  /** A time in [from, to] at second, millisecond or microsecond precision. */
  private static long randomTime(long from, long to) {
    long t = from + (long) (rnd.nextDouble() * (to - from));
    int p = rnd.nextInt(10);
    long unit = p < 5 ? 1_000_000L : p < 8 ? 1000L : 1L;
    return Math.max(from, t - Math.floorMod(t, unit));
  }

  /** A request's text for a time: mostly UTC Z, sometimes another offset. */
  private static String text(long micros) {
    Instant instant = toInstant(micros);
    int p = rnd.nextInt(10);
    if (p < 8) {
      return instant.toString();
    }
    ZoneOffset offset = p == 8 ? ZoneOffset.ofHours(2) : ZoneOffset.ofHoursMinutes(-5, -30);
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(offset));
  }

  // ---------------------------------------------------------------------------------------------
  // Oracle

  private static Rec asOf(String view, long user, long t, long cutoff) {
    return asOf(view, user, t, cutoff, false);
  }

  private static Rec asOf(String view, long user, long t, long cutoff, boolean asKnownAtRow) {
    long known = asKnownAtRow ? Math.min(cutoff, t) : cutoff;
    Rec best = null;
    for (Rec rec : HISTORY.getOrDefault(view, Map.of()).getOrDefault(user, List.of())) {
      if (rec.event() > t || rec.ingested() > known) {
        continue;
      }
      if (best == null
          || rec.event() > best.event()
          || (rec.event() == best.event() && rec.ingested() > best.ingested())) {
        best = rec;
      }
    }
    return best == null || t - best.event() > ttl(view) ? null : best;
  }

  private static long ttl(String view) {
    return view.equals("limits") ? LIMITS_TTL : TTL;
  }

  /** A value's status at {@code t} by its record's age: the documented SLA, by hand. */
  private static String status(Rec rec, long t) {
    if (rec == null) {
      return "MISSING";
    }
    long age = t - rec.event();
    return age <= FRESH ? "FRESH" : age <= STALE ? "STALE" : "ROTTEN";
  }

  private static String worst(String a, String b) {
    List<String> order = List.of("FRESH", "STALE", "ROTTEN", "MISSING");
    return order.get(Math.max(order.indexOf(a), order.indexOf(b)));
  }

  /** The expected output row, in {@link #columns(Options)} order. */
  private static List<Object> expected(Label label, long cutoff, Options options) {
    long t = label.t();
    boolean atRow = options.asKnownAtRow();
    Rec p = asOf("profile", label.user(), t, cutoff, atRow);
    Rec r = asOf("risk", label.user(), t, cutoff, atRow);
    Rec l = asOf("limits", label.user(), t, cutoff, atRow);
    // With apply_freshness a ROTTEN value of risk (nullify) is null, its event time kept: what a
    // model served at t received. A ROTTEN limit (reject) is given either way, flagged ROTTEN.
    boolean police = options.applyFreshness();
    Double score = r == null || (police && status(r, t).equals("ROTTEN")) ? null : r.score();
    Long limit = l == null ? null : l.limit();
    List<Object> row = new ArrayList<>();
    row.add(label.user());
    row.add(format(label.t()));
    // profile:age, profile:plan
    cell(row, options, p == null ? null : p.age(), p, status(p, t));
    cell(row, options, p == null ? null : p.plan(), p, status(p, t));
    cell(row, options, score, r, status(r, t));
    cell(row, options, limit, l, status(l, t));
    // age_months = age * 12
    cell(row, options, p == null ? null : p.age() * 12, p, status(p, t));
    // risk_per_year = age > 0 ? risk_score / double(age) : 0.0; event time the oldest input's,
    // status the worst input's, MISSING with either input missing
    if (p == null || r == null) {
      cell(row, options, null, null, "MISSING");
    } else {
      Object value = score == null ? null : p.age() > 0 ? score / (double) p.age() : 0.0;
      Rec oldest = p.event() <= r.event() ? p : r;
      cell(row, options, value, oldest, worst(status(p, t), status(r, t)));
    }
    return row;
  }

  /** A column's value, then its event time, then its status when asked. */
  private static void cell(
      List<Object> row, Options options, Object value, Rec rec, String status) {
    row.add(value);
    row.add(rec == null ? null : format(rec.event()));
    if (options.includeStatus()) {
      row.add(status);
    }
  }

  private static List<String> columns(Options options) {
    List<String> columns = new ArrayList<>(List.of("user_id", "timestamp"));
    for (String feature : FEATURES) {
      columns.add(feature);
      columns.add(feature + "__event_timestamp");
      if (options.includeStatus()) {
        columns.add(feature + "__status");
      }
    }
    return columns;
  }

  private static boolean integral(String column) {
    return column.equals("user_id")
        || column.equals("profile:age")
        || column.equals("limits:daily_limit")
        || column.equals("age_months");
  }

  private static boolean floating(String column) {
    return column.equals("risk:risk_score") || column.equals("risk_per_year");
  }

  private static List<Mismatch> compare(List<List<Object>> rows, long cutoff) {
    return compare(rows, cutoff, Options.DEFAULT);
  }

  private static List<Mismatch> compare(List<List<Object>> rows, long cutoff, Options options) {
    List<String> columns = columns(options);
    List<Mismatch> mismatches = new ArrayList<>();
    if (rows.size() != labels.size()) {
      mismatches.add(new Mismatch(-1, null, "row count", labels.size(), rows.size()));
    }
    for (int i = 0; i < Math.min(rows.size(), labels.size()); i++) {
      List<Object> expected = expected(labels.get(i), cutoff, options);
      List<Object> actual = rows.get(i);
      for (int c = 0; c < columns.size(); c++) {
        if (!Objects.equals(expected.get(c), actual.get(c))) {
          mismatches.add(
              new Mismatch(i, labels.get(i), columns.get(c), expected.get(c), actual.get(c)));
        }
      }
    }
    return mismatches;
  }

  private static void reportMismatches(String what, List<Mismatch> mismatches) {
    if (mismatches.isEmpty()) {
      System.out.println(
          what + ": " + labels.size() + " rows x " + COLUMNS.size() + " cells match the oracle");
      return;
    }
    System.out.println(
        what + ": " + mismatches.size() + " cells differ from the oracle; first ones:");
    mismatches.stream()
        .limit(15)
        .forEach(
            m ->
                System.out.println(
                    "  row "
                        + m.row()
                        + " "
                        + m.label()
                        + " "
                        + m.column()
                        + ": expected "
                        + m.expected()
                        + ", actual "
                        + m.actual()
                        + (m.label() == null ? "" : " history " + historyOf(m.label().user()))));
    Mismatch m = mismatches.get(0);
    fail(
        what
            + ": "
            + mismatches.size()
            + " cells differ from the oracle; first: row "
            + m.row()
            + " "
            + m.label()
            + " "
            + m.column()
            + " expected "
            + m.expected()
            + " actual "
            + m.actual());
  }

  private static String historyOf(long user) {
    StringBuilder s = new StringBuilder();
    for (String view : VIEWS) {
      s.append(view).append('[');
      for (Rec rec : HISTORY.getOrDefault(view, Map.of()).getOrDefault(user, List.of())) {
        s.append(format(rec.event())).append('/').append(format(rec.ingested())).append(' ');
      }
      s.append("] ");
    }
    return s.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing responses

  private static List<List<Object>> parseJsonl(String body) {
    return parseJsonl(body, Options.DEFAULT);
  }

  private static List<List<Object>> parseJsonl(String body, Options options) {
    List<String> columns = columns(options);
    List<List<Object>> rows = new ArrayList<>();
    assertTrue(body.isEmpty() || body.endsWith("\n"), "jsonl body ends with a newline");
    for (String line : body.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      JsonObject json = new JsonObject(line);
      if (json.containsKey("error")) {
        fail("stream ended with an error line: " + line);
      }
      assertEquals(columns, new ArrayList<>(json.fieldNames()), "keys, in order, of line " + line);
      List<Object> row = new ArrayList<>();
      for (String column : columns) {
        row.add(fromJson(column, json.getValue(column)));
      }
      rows.add(row);
    }
    return rows;
  }

  private static Object fromJson(String column, Object value) {
    if (value == null) {
      return null;
    }
    if (integral(column)) {
      return value instanceof Integer || value instanceof Long
          ? (Object) ((Number) value).longValue()
          : "not an integer: " + value;
    }
    if (floating(column)) {
      return value instanceof Number
          ? (Object) ((Number) value).doubleValue()
          : "not a number: " + value;
    }
    return value instanceof String ? value : "not a string: " + value;
  }

  private static Object fromCsv(String column, String field) {
    if (field.isEmpty()) {
      return null;
    }
    try {
      if (integral(column)) {
        return Long.parseLong(field);
      }
      if (floating(column)) {
        return Double.parseDouble(field);
      }
    } catch (NumberFormatException e) {
      return "unparsable '" + field + "'";
    }
    return field;
  }

  /** RFC 4180: quoted fields may hold commas, quotes (doubled) and newlines; LF or CRLF lines. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> lines = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
        continue;
      }
      any = true;
      if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        fields.add(field.toString());
        field.setLength(0);
        lines.add(fields);
        fields = new ArrayList<>();
        any = false;
      } else {
        field.append(c);
      }
    }
    if (any || field.length() > 0 || !fields.isEmpty()) {
      fields.add(field.toString());
      lines.add(fields);
    }
    return lines;
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  private static JsonObject options(String format, String cutoff) {
    JsonObject options =
        new JsonObject()
            .put("features", new JsonArray(FEATURES))
            .put("format", format)
            .put("include_timestamps", true);
    if (cutoff != null) {
      options.put("cutoff", cutoff);
    }
    return options;
  }

  private static String ndjsonRequest(JsonObject options, List<JsonObject> rows) {
    StringBuilder s = new StringBuilder(options.encode()).append('\n');
    for (JsonObject row : rows) {
      s.append(row.encode()).append('\n');
    }
    return s.toString();
  }

  private static List<JsonObject> labelRows() {
    List<JsonObject> rows = new ArrayList<>(labels.size());
    labels.forEach(label -> rows.add(labelRow(label)));
    return rows;
  }

  private static JsonObject labelRow(Label label) {
    return new JsonObject().put("user_id", label.user()).put("timestamp", label.text());
  }

  private static String ndjsonRequest(String format, String cutoff) {
    StringBuilder s = new StringBuilder(options(format, cutoff).encode()).append('\n');
    for (Label label : labels) {
      s.append(labelRow(label).encode()).append('\n');
    }
    return s.toString();
  }

  private static String jsonRequest(String format, String cutoff) {
    JsonArray rows = new JsonArray();
    labels.forEach(label -> rows.add(labelRow(label)));
    return options(format, cutoff).put("rows", rows).encode();
  }

  private static JsonObject row(long user, String timestamp) {
    return new JsonObject().put("user_id", user).put("timestamp", timestamp);
  }

  /** A small request whose second of three rows is {@code bad} (none when absent). */
  private static JsonObject rowsRequest(JsonObject... bad) {
    JsonArray rows = new JsonArray().add(row(1, FreshetFixture.T0.toString()));
    for (JsonObject b : bad) {
      rows.add(b);
    }
    rows.add(row(2, FreshetFixture.T0.toString()));
    return new JsonObject().put("features", new JsonArray(FEATURES)).put("rows", rows);
  }

  private static void assertRefused(JsonObject request, int status, String code) {
    for (String format : List.of("jsonl", "csv")) {
      JsonObject body = request.copy().put("format", format);
      Http r = post("/v1/features/historical", "application/json", body.encode());
      assertRefusal(body.encode(), r, status, code);
    }
  }

  /** The same refusal through an NDJSON body: the options line, then two good rows. */
  private static void assertRefusedNdjson(JsonObject options, int status, String code) {
    String body =
        options.encode()
            + "\n"
            + (code.equals("bad_request")
                ? ""
                : row(1, FreshetFixture.T0.toString()).encode()
                    + "\n"
                    + row(2, FreshetFixture.T0.toString()).encode()
                    + "\n");
    assertRefusal(body, post("/v1/features/historical", NDJSON, body), status, code);
  }

  private static void assertRefusal(String request, Http r, int status, String code) {
    assertEquals(status, r.status(), () -> request + " -> " + r.body());
    assertTrue(
        r.contentType() != null && r.contentType().startsWith("application/json"),
        () -> request + " -> content-type " + r.contentType());
    JsonObject error = r.json();
    assertEquals(code, error.getString("error"), () -> request + " -> " + r.body());
    assertNotNull(error.getString("message"), r::body);
    if (r.snapshotId() != null) {
      Http manifest = get("/v1/snapshots/" + enc(r.snapshotId()));
      assertEquals(
          404, manifest.status(), () -> "refused request left snapshot " + manifest.body());
    }
  }

  private static JsonObject manifestOf(Http r) {
    assertNotNull(r.snapshotId(), "X-Snapshot-Id header");
    Http m = get("/v1/snapshots/" + enc(r.snapshotId()));
    if (m.status() != 200) {
      String body = r.body();
      fail(
          "GET /v1/snapshots/"
              + r.snapshotId()
              + " -> "
              + m.status()
              + " "
              + m.body()
              + " after a "
              + r.bytes().length
              + "-byte body ending: "
              + body.substring(Math.max(0, body.length() - 300)));
    }
    JsonObject manifest = m.json();
    assertEquals(r.snapshotId(), manifest.getString("id"));
    return manifest;
  }

  private static void assertManifest(JsonObject manifest, byte[] body) {
    assertEquals(sha256(body), manifest.getString("sha256"), "sha256 of the body received");
    assertEquals(labels.size(), manifest.getLong("row_count"));
    JsonObject leakage = manifest.getJsonObject("leakage");
    assertNotNull(leakage, manifest::encode);
    assertEquals(labels.size(), leakage.getLong("rows_checked"), manifest::encode);
    assertEquals(0, leakage.getLong("future_values"), manifest::encode);
  }

  private static Http post(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("content-type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build());
  }

  private static Http get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  private static Http send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Http(
          r.statusCode(),
          r.headers().firstValue("content-type").orElse(null),
          r.headers().firstValue("x-snapshot-id").orElse(null),
          r.body());
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String errorOf(Http r) {
    try {
      return r.json().getString("error");
    } catch (RuntimeException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }

  private static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }

  private static long parseMicros(String text) {
    return micros(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from));
  }

  private static String format(long micros) {
    return DateTimeFormatter.ISO_INSTANT.format(toInstant(micros));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String firstDifference(String a, String b) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (!x[i].equals(y[i])) {
        return "line " + (i + 1) + ":\n  before " + x[i] + "\n  after  " + y[i];
      }
    }
    return "line counts " + x.length + " vs " + y.length;
  }
}
