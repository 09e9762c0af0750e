package io.freshet.pit;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.http.JsonBodies;
import io.freshet.model.ApiException;
import io.vertx.core.buffer.Buffer;

/**
 * A historical request sent as one JSON object, read in two passes: the options as a tree, then the
 * rows as a stream straight into the label table. The fields may come in any order, so the rows
 * wait for the options they are checked against; read as a stream, a row's numbers keep the text
 * they were sent with, and a million rows never become a million trees.
 */
final class JsonSnapshotBody {

  private static final String ROWS = "rows";

  // Reads one value of the strict body's parser as a tree. Not that parser's own codec, which
  // refuses a value followed by anything, as a whole body must not be, but an option is.
  private static final ObjectMapper TREES = new ObjectMapper();

  private JsonSnapshotBody() {}

  /** Every field but {@code rows}. */
  static JsonNode options(Buffer body) {
    ObjectNode options = JsonNodeFactory.instance.objectNode();
    JsonBodies.readBody(
        body,
        json -> {
          if (json.nextToken() != JsonToken.START_OBJECT) {
            throw ApiException.badRequest("the request body must be a JSON object");
          }
          while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            if (name.equals(ROWS)) {
              json.skipChildren();
            } else {
              JsonNode value = TREES.readTree(json);
              options.set(name, value == null ? NullNode.getInstance() : value);
            }
          }
        });
    return options;
  }

  /** Checks and appends every row of {@code rows}; more than {@code maxRows} is {@code tooMany}. */
  static void rows(
      Buffer body,
      SnapshotRequestParser parser,
      SnapshotRequest request,
      LabelTable labels,
      long maxRows,
      ApiException tooMany) {
    JsonBodies.readBody(
        body,
        json -> {
          json.nextToken();
          long count = 0;
          while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if (!name.equals(ROWS)) {
              json.skipChildren();
              continue;
            }
            if (value != JsonToken.START_ARRAY) {
              throw ApiException.badRequest("rows must be a non-empty array");
            }
            while (json.nextToken() != JsonToken.END_ARRAY) {
              if (count == maxRows) {
                throw tooMany;
              }
              parser.row(request, json, count++, labels);
            }
          }
          if (count == 0) {
            throw ApiException.badRequest("rows must be a non-empty array");
          }
        });
  }
}
