package io.freshet.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.ValueType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A string column's top values: exact for a few categories, within the sketch's bound past it. */
class ColumnProfileTest {

  @Test
  void fewCategoriesAreCountedExactlyAcrossChunks() {
    ColumnProfile whole = new ColumnProfile(ValueType.STRING);
    for (int chunk = 0; chunk < 3; chunk++) {
      ColumnProfile part = new ColumnProfile(ValueType.STRING);
      for (int row = 0; row < 1000; row++) {
        part.add(row % 10 == 0 ? "pro" : "basic");
      }
      part.add(null);
      whole.merge(part);
    }
    JsonObject profile = whole.toJson("plan");
    assertEquals(3000, profile.getLong("count"));
    assertEquals(3, profile.getLong("nulls"));
    JsonArray top = profile.getJsonArray("top");
    assertEquals(new JsonObject().put("value", "basic").put("count", 2700L), top.getJsonObject(0));
    assertEquals(new JsonObject().put("value", "pro").put("count", 300L), top.getJsonObject(1));
    assertEquals(0, profile.getLong("other"));
  }

  @Test
  void manyDistinctValuesStayWithinTheSketchBound() {
    ColumnProfile whole = new ColumnProfile(ValueType.STRING);
    ColumnProfile part = new ColumnProfile(ValueType.STRING);
    // More distinct values in one chunk than the map holds, so the exact counts are flushed into
    // the sketch part-way through, and the frequent value is seen on both sides of the flush.
    for (int row = 0; row < 6000; row++) {
      part.add(row % 3 == 0 ? "hot" : "v" + row);
    }
    whole.merge(part);
    JsonObject first = whole.toJson("agent").getJsonArray("top").getJsonObject(0);
    assertEquals("hot", first.getString("value"));
    // No count is off by more than 3.5/1024 of the rows (ColumnProfile.ITEMS_MAP_SIZE).
    long bound = (long) Math.ceil(3.5 / ColumnProfile.ITEMS_MAP_SIZE * 6000);
    assertTrue(Math.abs(first.getLong("count") - 2000) <= bound, first.encode());
  }
}
