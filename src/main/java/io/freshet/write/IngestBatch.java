package io.freshet.write;

import java.util.List;

/**
 * A validated batch of one view: per row the entity key, the event time, and the complete values as
 * the JSON text every tier stores.
 */
record IngestBatch(String view, List<String> entityKeys, long[] eventMicros, String[] valuesJson) {

  int size() {
    return entityKeys.size();
  }
}
