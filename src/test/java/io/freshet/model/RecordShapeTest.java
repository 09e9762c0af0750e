package io.freshet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordShapeTest {

  private static final RecordShape SHAPE =
      RecordShape.of(
          List.of("age", "plan", "score", "active"),
          List.of(ValueType.INT64, ValueType.STRING, ValueType.FLOAT64, ValueType.BOOL));

  @Test
  void values_inDeclaredOrder_byPosition() {
    FeatureRecord record =
        FeatureRecord.ofJson(1, 2, "{\"age\":41,\"plan\":\"pro\",\"score\":0.1,\"active\":true}");
    assertArrayEquals(new Object[] {41L, "pro", 0.1, true}, record.values(SHAPE));
  }

  @Test
  void values_asPostgresPrintsThem_reorderedAndSpaced() {
    FeatureRecord record =
        FeatureRecord.ofJson(
            1,
            2,
            "{\"age\": 9223372036854775807, \"plan\": null, \"score\": -0.0, \"active\": false}");
    Object[] values = record.values(SHAPE);
    assertEquals(Long.MAX_VALUE, values[0]);
    assertEquals(null, values[1]);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) values[2]));
    assertEquals(false, values[3]);
    FeatureRecord reordered =
        FeatureRecord.ofJson(1, 2, "{\"score\": 1e-300, \"active\": true, \"age\": -5}");
    assertArrayEquals(new Object[] {-5L, null, 1e-300, true}, reordered.values(SHAPE));
  }

  @Test
  void values_unknownNamesSkipped_nestedOnesToo() {
    FeatureRecord record =
        FeatureRecord.ofJson(
            1, 2, "{\"dropped\":{\"a\":[1,2]},\"age\":3,\"old\":[{\"x\":1}],\"plan\":\"basic\"}");
    assertArrayEquals(new Object[] {3L, "basic", null, null}, record.values(SHAPE));
  }

  @Test
  void values_doublesReadBackExactly() {
    double[] doubles = {0.1, 1.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, 4.35, 123456789.0123};
    for (double d : doubles) {
      FeatureRecord record = new FeatureRecord(1, 2, new JsonObject().put("score", d));
      assertEquals(
          Double.doubleToRawLongBits(d),
          Double.doubleToRawLongBits((Double) record.values(SHAPE)[2]),
          Double.toString(d));
    }
  }

  @Test
  void values_decodedOncePerShape() {
    FeatureRecord record = FeatureRecord.ofJson(1, 2, "{\"age\":41}");
    assertSame(record.values(SHAPE), record.values(SHAPE));
    RecordShape other = RecordShape.of(List.of("age"), List.of(ValueType.INT64));
    assertArrayEquals(new Object[] {41L}, record.values(other));
    assertSame(
        other, RecordShape.of(List.of("age"), List.of(ValueType.INT64)), "one shape per layout");
  }

  @Test
  void values_notAnObject_refused() {
    assertThrows(
        IllegalStateException.class, () -> FeatureRecord.ofJson(1, 2, "[1]").values(SHAPE));
  }
}
