package io.freshet.write;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.freshet.http.JsonBodies;
import io.freshet.model.ApiException;
import io.freshet.model.Digests;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The rows of an ingest body, {@code {"rows": [...]}} as JSON or one row per NDJSON line, read
 * token by token straight into a {@link BatchBuilder}: a row is parsed and checked in one pass, and
 * a body with more rows than allowed is refused at the first row too many.
 */
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

  /** Reads every row of the body into {@code batch}; answers how many there were. */
  static int read(String contentType, Buffer body, BatchBuilder batch, int maxRows) {
    if (contentType != null && contentType.startsWith("application/x-ndjson")) {
      readLines(body, batch, maxRows);
    } else {
      JsonBodies.readBody(body, json -> readObject(json, batch, maxRows));
    }
    if (batch.rows() == 0) {
      throw ApiException.badRequest("rows is empty");
    }
    return batch.rows();
  }

  private static void readObject(JsonParser json, BatchBuilder batch, int maxRows)
      throws IOException {
    if (json.nextToken() != JsonToken.START_OBJECT) {
      throw ApiException.badRequest("the request body must be a JSON object");
    }
    boolean sawRows = false;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      if (!json.currentName().equals("rows")) {
        throw ApiException.badRequest("unknown field '" + json.currentName() + "'");
      }
      if (json.nextToken() != JsonToken.START_ARRAY) {
        throw ApiException.badRequest("rows must be an array of row objects");
      }
      while (json.nextToken() != JsonToken.END_ARRAY) {
        row(json, batch, maxRows);
      }
      sawRows = true;
    }
    if (!sawRows) {
      throw ApiException.badRequest("rows must be an array of row objects");
    }
  }

  private static void row(JsonParser json, BatchBuilder batch, int maxRows) throws IOException {
    if (batch.rows() == maxRows) {
      throw ApiException.tooLarge(
          "more than "
              + maxRows
              + " rows in one batch; the limit is "
              + maxRows
              + " (FRESHET_MAX_INGEST_ROWS)");
    }
    if (json.currentToken() != JsonToken.START_OBJECT) {
      throw ApiException.badRequest("row " + batch.rows() + " is not a JSON object");
    }
    batch.row(json);
  }

  /** One row per non-blank line, each line named by its number (from 1) in errors. */
  private static void readLines(Buffer body, BatchBuilder batch, int maxRows) {
    if (body == null) {
      return;
    }
    int length = body.length();
    int start = 0;
    long lineNumber = 1;
    for (int i = 0; i <= length; i++) {
      if (i == length || body.getByte(i) == '\n') {
        Buffer line = body.slice(start, i);
        if (!JsonBodies.isBlank(line)) {
          JsonBodies.readLine(
              line,
              lineNumber,
              json -> {
                json.nextToken();
                row(json, batch, maxRows);
              });
        }
        start = i + 1;
        lineNumber++;
      }
    }
  }
}
