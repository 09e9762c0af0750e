package io.freshet.pit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.freshet.selection.Column;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one view that some label row uses, each decoded once and only for the features the
 * request reads. A record no row uses is never decoded.
 */
final class MatchedRecords {

  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, Integer> columnOf = new HashMap<>();
  private final ValueColumn[] columns;
  private final boolean[] seen;
  private long[] events = new long[0];
  private int size;

  /** {@code features}: the selected raw columns of this one view. */
  MatchedRecords(List<Column.Raw> features) {
    this.columns = new ValueColumn[features.size()];
    this.seen = new boolean[features.size()];
    for (int c = 0; c < columns.length; c++) {
      columns[c] = new ValueColumn(features.get(c).feature().type());
      columnOf.put(features.get(c).feature().name(), c);
    }
  }

  /** Decodes a record's stored values; answers its slot. */
  int add(long eventMicros, String storedValues) {
    int slot = size++;
    if (slot == events.length) {
      int capacity = Math.max(1024, slot * 2);
      events = Arrays.copyOf(events, capacity);
      for (ValueColumn column : columns) {
        column.ensureCapacity(capacity);
      }
    }
    events[slot] = eventMicros;
    Arrays.fill(seen, false);
    try (JsonParser parser = JSON.createParser(storedValues)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        Integer column = columnOf.get(parser.currentName());
        JsonToken value = parser.nextToken();
        if (column == null) {
          if (value.isStructStart()) {
            parser.skipChildren();
          }
          continue;
        }
        columns[column].read(slot, parser);
        seen[column] = true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("stored feature values are not JSON: " + storedValues, e);
    }
    for (int c = 0; c < columns.length; c++) {
      if (!seen[c]) {
        columns[c].absent(slot);
      }
    }
    return slot;
  }

  long event(int slot) {
    return events[slot];
  }

  Object value(int column, int slot) {
    return columns[column].get(slot);
  }
}
