package io.freshet.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.http.JsonBodies;
import io.freshet.model.ApiException;
import io.freshet.model.Digests;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The rows of an ingest body: {@code {"rows": [...]}} as JSON, or one row per NDJSON line. */
final class IngestBody {

  private IngestBody() {}

  private static final int MAX_KEY_LENGTH = 255;

  /** The header's key, null when absent; refused when empty, too long or not printable ASCII. */
  static String idempotencyKey(String header) {
    if (header == null) {
      return null;
    }
    if (header.isEmpty() || header.length() > MAX_KEY_LENGTH || !header.matches("[\\x21-\\x7e]+")) {
      throw ApiException.badRequest(
          "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
    }
    return header;
  }

  /** What a retry must repeat exactly: the view and the body bytes. */
  static String sha256(String view, Buffer body) {
    MessageDigest digest = Digests.create("SHA-256");
    digest.update(view.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(body == null ? new byte[0] : body.getBytes());
    return Digests.hex(digest);
  }

  static List<JsonNode> rows(String contentType, Buffer body) {
    if (contentType != null && contentType.startsWith("application/x-ndjson")) {
      return JsonBodies.parseLines(body);
    }
    JsonNode object = JsonBodies.parseObject(body);
    JsonBodies.allowOnly(object, Set.of("rows"));
    JsonNode rows = object.get("rows");
    if (rows == null || !rows.isArray()) {
      throw ApiException.badRequest("rows must be an array of row objects");
    }
    List<JsonNode> out = new ArrayList<>(rows.size());
    rows.forEach(out::add);
    return out;
  }
}
