package io.freshet.write;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A validated batch of one view: per row, the entity key, event time and complete values. */
public record IngestBatch(
    String view, List<String> entityKeys, long[] eventMicros, List<JsonObject> values) {

  public int size() {
    return entityKeys.size();
  }
}
