package io.freshet.pit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.Api;
import io.freshet.testing.FreshetFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a snapshot writes doubles: the shortest round-trip form unless the request asks for the JVM's
 * {@code Double.toString}, named in the manifest either way, and each reproducible byte for byte.
 */
@ExtendWith(VertxExtension.class)
class SnapshotNumberFormatTest {

  // 2^-44: Java 17's Double.toString prints 5.6843418860808015E-14, a digit more than needed.
  private static final double SCORE = Math.scalb(1.0, -44);
  private static final String SHORTEST = "5.684341886080802E-14";
  private static FreshetFixture f;

  @BeforeAll
  static void start(Vertx vertx) {
    f = FreshetFixture.start(vertx);
    f.ingest("profile", FreshetFixture.userOneProfile().put("score", SCORE));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject request(String format) {
    return FreshetFixture.oneRowAtT0("profile:score").put("format", format);
  }

  private static Api.Response snapshot(JsonObject request) {
    Api.Response r = f.api.post("/v1/features/historical", request);
    assertEquals(200, r.status(), () -> r.body().toString());
    return r;
  }

  private static JsonObject manifest(Api.Response r) throws Exception {
    JsonObject manifest = f.api.get("/v1/snapshots/" + r.snapshotId()).json();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(r.body().getBytes());
    assertEquals(HexFormat.of().formatHex(digest), manifest.getString("sha256"));
    return manifest;
  }

  @Test
  void shortestByDefault_namedInTheManifest_reRunGivesTheSameBytes() throws Exception {
    Api.Response csv = snapshot(request("csv"));
    assertEquals(
        "user_id,timestamp,profile:score\n1," + FreshetFixture.T0 + "," + SHORTEST + "\n",
        csv.body().toString());
    JsonObject manifest = manifest(csv);
    assertEquals("shortest", manifest.getString("number_format"));

    Api.Response again =
        snapshot(
            request("csv")
                .put("number_format", manifest.getString("number_format"))
                .put("cutoff", manifest.getString("cutoff")));
    assertArrayEquals(csv.body().getBytes(), again.body().getBytes());

    Api.Response jsonl = snapshot(request("jsonl"));
    assertEquals(
        "{\"user_id\":1,\"timestamp\":\""
            + FreshetFixture.T0
            + "\",\"profile:score\":"
            + SHORTEST
            + "}\n",
        jsonl.body().toString());
  }

  @Test
  void java_writesTheJvmsDoubleToString_namedInTheManifest_reRunGivesTheSameBytes()
      throws Exception {
    for (String format : new String[] {"csv", "jsonl"}) {
      Api.Response first = snapshot(request(format).put("number_format", "java"));
      String text = first.body().toString();
      assertTrue(text.contains(Double.toString(SCORE)), format + " holds Double.toString: " + text);
      JsonObject manifest = manifest(first);
      assertEquals("java", manifest.getString("number_format"));
      Api.Response again =
          snapshot(
              request(format)
                  .put("number_format", manifest.getString("number_format"))
                  .put("cutoff", manifest.getString("cutoff")));
      assertArrayEquals(first.body().getBytes(), again.body().getBytes());
    }
  }

  @Test
  void ndjsonOptionsLine_takesTheNumberFormatToo() throws Exception {
    String row = "{\"user_id\":1,\"timestamp\":\"" + FreshetFixture.T0 + "\"}\n";
    String options = "{\"features\":[\"profile:score\"],\"format\":\"csv\",\"number_format\":";
    Api.Response java =
        f.api.post(
            "/v1/features/historical", "application/x-ndjson", options + "\"java\"}\n" + row);
    assertEquals(200, java.status(), () -> java.body().toString());
    assertTrue(java.body().toString().endsWith("," + Double.toString(SCORE) + "\n"));
    assertEquals("java", manifest(java).getString("number_format"));

    Api.Response bad =
        f.api.post(
            "/v1/features/historical", "application/x-ndjson", options + "\"fast\"}\n" + row);
    assertEquals(400, bad.status());
    assertEquals("number_format must be \"shortest\" or \"java\"", bad.json().getString("message"));
  }

  @Test
  void unknownNumberFormat_400BeforeAnySnapshot() {
    for (Object bad : new Object[] {"fast", "", "SHORTEST", 1, true, new JsonArray()}) {
      Api.Response r =
          f.api.post("/v1/features/historical", request("csv").put("number_format", bad));
      assertEquals(400, r.status(), () -> "number_format " + bad);
      assertEquals("bad_request", r.error());
      assertEquals("number_format must be \"shortest\" or \"java\"", r.json().getString("message"));
      assertEquals(null, r.snapshotId());
    }
  }
}
