package io.freshet.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.ApiException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The rows of an ingest body: {@code {"rows": [...]}} as JSON, or one row per NDJSON line. */
final class IngestBody {

  private IngestBody() {}

  static List<JsonNode> rows(String contentType, Buffer body) {
    if (contentType != null && contentType.startsWith("application/x-ndjson")) {
      return JsonBodies.parseLines(body);
    }
    JsonNode object = JsonBodies.parseObject(body);
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("rows")) {
        throw ApiException.badRequest("unknown field '" + name + "'");
      }
    }
    JsonNode rows = object.get("rows");
    if (rows == null || !rows.isArray()) {
      throw ApiException.badRequest("rows must be an array of row objects");
    }
    List<JsonNode> out = new ArrayList<>(rows.size());
    rows.forEach(out::add);
    return out;
  }
}
