package io.freshet.aggregation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.freshet.model.ValueType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AggregatorTest {

  private static final MathContext WIDE = new MathContext(800);

  @Test
  void merge_tilesInAnyOrder_sameBitsAndBytes() {
    Random random = new Random(16);
    for (AggregateFunction function : AggregateFunction.values()) {
      for (ValueType type : typesOf(function)) {
        Aggregator aggregator = Aggregator.of(function, type);
        for (int round = 0; round < 40; round++) {
          List<Object> values = randomValues(random, type, 1 + random.nextInt(300));
          Partial whole = aggregator.empty();
          List<Partial> tiles = new ArrayList<>();
          for (int i = 0; i < values.size(); i++) {
            if (tiles.isEmpty() || random.nextInt(7) == 0) {
              tiles.add(aggregator.empty());
            }
            tiles.get(tiles.size() - 1).add(values.get(i), i, 1000 + i, 0);
            whole.add(values.get(i), i, 1000 + i, 0);
          }
          Collections.shuffle(tiles, random);
          Partial merged = aggregator.empty();
          tiles.forEach(merged::merge);
          Partial reversed = aggregator.empty();
          for (int i = tiles.size() - 1; i >= 0; i--) {
            reversed.merge(aggregator.decode(tiles.get(i).encode()));
          }
          String what = function + " " + type + " round " + round;
          assertSameValue(whole.value(), merged.value(), what);
          assertSameValue(whole.value(), reversed.value(), what);
          assertArrayEquals(whole.encode(), merged.encode(), what);
          assertArrayEquals(whole.encode(), reversed.encode(), what);
        }
      }
    }
  }

  @Test
  void add_anyOrder_sameBits() {
    Random random = new Random(7);
    for (AggregateFunction function :
        List.of(AggregateFunction.SUM, AggregateFunction.MEAN, AggregateFunction.STDDEV)) {
      Aggregator aggregator = Aggregator.of(function, ValueType.FLOAT64);
      for (int round = 0; round < 200; round++) {
        List<Object> values = randomValues(random, ValueType.FLOAT64, 2 + random.nextInt(50));
        Partial forward = aggregator.empty();
        values.forEach(v -> forward.add(v, 0, 0, 0));
        Collections.shuffle(values, random);
        Partial shuffled = aggregator.empty();
        values.forEach(v -> shuffled.add(v, 0, 0, 0));
        assertSameValue(forward.value(), shuffled.value(), function + " round " + round);
      }
    }
  }

  @Test
  void sliding_eventsInAndOut_sameBitsAsAPartialOfWhatIsInside() {
    Random random = new Random(23);
    for (AggregateFunction function : AggregateFunction.values()) {
      for (ValueType type : typesOf(function)) {
        Aggregator aggregator = Aggregator.of(function, type);
        Sliding window = aggregator.sliding();
        List<Object> values = randomValues(random, type, 400);
        List<Integer> inside = new ArrayList<>();
        for (int step = 0; step < 2_000; step++) {
          if (inside.isEmpty() || random.nextInt(5) < 3) {
            int i = random.nextInt(values.size());
            if (!inside.contains(i)) {
              inside.add(i);
              window.add(values.get(i), i / 3, i, i % 3);
            }
          } else {
            int i = inside.remove(random.nextInt(inside.size()));
            window.remove(values.get(i), i / 3, i, i % 3);
          }
          if (step % 50 == 0 || step == 1_999) {
            Partial partial = aggregator.empty();
            inside.forEach(i -> partial.add(values.get(i), i / 3, i, i % 3));
            assertSameValue(
                partial.value(), window.value(), function + " " + type + " step " + step);
          }
        }
        window.clear();
        assertSameValue(aggregator.empty().value(), window.value(), function + " cleared");
      }
    }
  }

  @Test
  void encode_decode_roundTrip_everyFunctionAndType() {
    Random random = new Random(3);
    for (AggregateFunction function : AggregateFunction.values()) {
      for (ValueType type : typesOf(function)) {
        Aggregator aggregator = Aggregator.of(function, type);
        Partial empty = aggregator.empty();
        assertArrayEquals(empty.encode(), aggregator.decode(empty.encode()).encode());
        assertSameValue(
            empty.value(), aggregator.decode(empty.encode()).value(), function + " empty");
        Partial partial = aggregator.empty();
        List<Object> values = randomValues(random, type, 100);
        for (int i = 0; i < values.size(); i++) {
          partial.add(values.get(i), random.nextLong(), random.nextLong(), random.nextInt());
        }
        Partial decoded = aggregator.decode(partial.encode());
        assertArrayEquals(partial.encode(), decoded.encode(), function + " " + type);
        assertSameValue(partial.value(), decoded.value(), function + " " + type);
      }
    }
  }

  @Test
  void decode_truncatedOrTrailingBytes_refused() {
    Aggregator stddev = Aggregator.of(AggregateFunction.STDDEV, ValueType.FLOAT64);
    Partial partial = stddev.empty();
    partial.add(2.5, 0, 0, 0);
    byte[] bytes = partial.encode();
    assertThrows(
        IllegalArgumentException.class,
        () -> stddev.decode(Arrays.copyOf(bytes, bytes.length - 1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> stddev.decode(Arrays.copyOf(bytes, bytes.length + 1)));
  }

  /** A set is searched by halves when it takes events, so its bytes must hold it sorted. */
  @Test
  void decode_distinctValuesOutOfOrderOrRepeated_refused() {
    Aggregator distinct = Aggregator.of(AggregateFunction.COUNT_DISTINCT, ValueType.STRING);
    for (List<String> values : List.of(List.of("a", "c", "b"), List.of("a", "b", "b"))) {
      ByteWriter out = new ByteWriter();
      out.writeVarLong(values.size());
      values.forEach(out::writeString);
      assertThrows(
          IllegalArgumentException.class, () -> distinct.decode(out.toByteArray()), "" + values);
    }
    Partial sorted = distinct.empty();
    List.of("c", "a", "b", "a").forEach(v -> sorted.add(v, 0, 0, 0));
    assertEquals(3L, distinct.decode(sorted.encode()).value());
  }

  /**
   * A set of strings is encoded in code point order, whatever order its values came in: ASCII, two-
   * and three-byte characters, and ones beyond the Basic Multilingual Plane, which UTF-16 sorts
   * below U+FF61 but code points above it.
   */
  @Test
  void distinct_strings_encodedInCodePointOrder() {
    String astral = new String(Character.toChars(0x1F600));
    List<String> strings =
        new ArrayList<>(List.of("b", "\uFF61", astral, "\u00E9", "a" + astral, "a", "", "\uFF61x"));
    List<String> byCodePoint = new ArrayList<>(strings);
    byCodePoint.sort((x, y) -> Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray()));
    ByteWriter expected = new ByteWriter();
    expected.writeVarLong(byCodePoint.size());
    byCodePoint.forEach(expected::writeString);
    Aggregator distinct = Aggregator.of(AggregateFunction.COUNT_DISTINCT, ValueType.STRING);
    Random random = new Random(5);
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(strings, random);
      Partial partial = distinct.empty();
      strings.forEach(v -> partial.add(v, 0, 0, 0));
      strings.forEach(v -> partial.add(v, 0, 0, 0));
      assertArrayEquals(expected.toByteArray(), partial.encode(), "round " + round);
      assertArrayEquals(expected.toByteArray(), distinct.decode(partial.encode()).encode());
    }
  }

  /** Large sets merged into large sets (both walked) and small ones (inserted one by one). */
  @Test
  void distinct_mergedLargeAndSmall_sameBytesAsAllAddedAtOnce() {
    Random random = new Random(41);
    Aggregator distinct = Aggregator.of(AggregateFunction.COUNT_DISTINCT, ValueType.INT64);
    for (int round = 0; round < 200; round++) {
      Partial whole = distinct.empty();
      Partial merged = distinct.empty();
      for (int part = 0; part < 1 + random.nextInt(6); part++) {
        Partial tile = distinct.empty();
        int size = random.nextBoolean() ? random.nextInt(8) : 8 + random.nextInt(200);
        for (int i = 0; i < size; i++) {
          long value = random.nextInt(400) - 200;
          tile.add(value, 0, 0, 0);
          whole.add(value, 0, 0, 0);
        }
        merged.merge(random.nextBoolean() ? tile : distinct.decode(tile.encode()));
      }
      assertArrayEquals(whole.encode(), merged.encode(), "round " + round);
      assertEquals(whole.value(), merged.value(), "round " + round);
    }
  }

  @Test
  void sum_wildlyDifferentMagnitudes_exact() {
    assertEquals(1.0, sum(1e308, 1.0, -1e308));
    assertEquals(2.0, sum(1e16, 1.0, 1.0, -1e16));
    assertEquals(Double.MIN_VALUE, sum(1e300, Double.MIN_VALUE, -1e300));
    assertEquals(0.0, sum(0.1, 0.2, -0.3, -0.1, -0.2, 0.3));
    assertEquals(Double.POSITIVE_INFINITY, sum(Double.MAX_VALUE, Double.MAX_VALUE));
    assertEquals(Double.MAX_VALUE, sum(Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE));
    Random random = new Random(11);
    for (int round = 0; round < 2000; round++) {
      List<Object> values =
          nonNull(randomValues(random, ValueType.FLOAT64, 1 + random.nextInt(40)));
      BigDecimal exact = BigDecimal.ZERO;
      for (Object value : values) {
        exact = exact.add(new BigDecimal((Double) value));
      }
      double[] doubles = values.stream().mapToDouble(v -> (Double) v).toArray();
      assertBits(Double.parseDouble(exact.toString()), sum(doubles), "round " + round);
    }
  }

  @Test
  void mean_andStddev_matchExactArithmetic_roundedOnce() {
    Random random = new Random(5);
    for (int round = 0; round < 400; round++) {
      List<Object> values =
          nonNull(randomValues(random, ValueType.FLOAT64, 2 + random.nextInt(40)));
      BigDecimal sum = BigDecimal.ZERO;
      BigDecimal squares = BigDecimal.ZERO;
      for (Object value : values) {
        BigDecimal x = new BigDecimal((Double) value);
        sum = sum.add(x);
        squares = squares.add(x.multiply(x));
      }
      BigDecimal n = BigDecimal.valueOf(values.size());
      double mean = Double.parseDouble(divide(sum, n).toString());
      BigDecimal variance = divide(squares.multiply(n).subtract(sum.multiply(sum)), n.multiply(n));
      double stddev = Double.parseDouble(variance.sqrt(WIDE).toString());
      assertBits(mean, (Double) value(AggregateFunction.MEAN, values), "mean round " + round);
      assertBits(stddev, (Double) value(AggregateFunction.STDDEV, values), "stddev round " + round);
    }
  }

  @Test
  void stddev_isThePopulationOne() {
    assertEquals(
        2.0, value(AggregateFunction.STDDEV, List.of(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0)));
    assertEquals(0.0, value(AggregateFunction.STDDEV, List.of(3.5)));
    assertEquals(0.5, value(AggregateFunction.STDDEV, List.of(1.0, 2.0)));
    Aggregator ints = Aggregator.of(AggregateFunction.STDDEV, ValueType.INT64);
    Partial partial = ints.empty();
    for (long x : new long[] {2, 4, 4, 4, 5, 5, 7, 9}) {
      partial.add(x, 0, 0, 0);
    }
    assertEquals(2.0, partial.value());
  }

  @Test
  void emptyWindows_countZero_sumZero_othersNull() {
    assertEquals(0L, Aggregator.of(AggregateFunction.COUNT, null).empty().value());
    assertEquals(
        0L, Aggregator.of(AggregateFunction.COUNT_DISTINCT, ValueType.STRING).empty().value());
    assertEquals(0.0, Aggregator.of(AggregateFunction.SUM, ValueType.FLOAT64).empty().value());
    assertEquals(0L, Aggregator.of(AggregateFunction.SUM, ValueType.INT64).empty().value());
    for (AggregateFunction function :
        List.of(
            AggregateFunction.MEAN,
            AggregateFunction.STDDEV,
            AggregateFunction.MIN,
            AggregateFunction.MAX,
            AggregateFunction.LAST)) {
      assertNull(Aggregator.of(function, ValueType.FLOAT64).empty().value(), function.toString());
    }
  }

  @Test
  void nulls_countedByCountOnly() {
    List<Object> values = Arrays.asList(null, 4.0, null, 2.0);
    assertEquals(4L, value(AggregateFunction.COUNT, values));
    assertEquals(2L, value(AggregateFunction.COUNT_DISTINCT, values));
    assertEquals(6.0, value(AggregateFunction.SUM, values));
    assertEquals(3.0, value(AggregateFunction.MEAN, values));
    assertEquals(1.0, value(AggregateFunction.STDDEV, values));
    assertEquals(2.0, value(AggregateFunction.MIN, values));
    assertEquals(4.0, value(AggregateFunction.MAX, values));
    assertNull(value(AggregateFunction.MEAN, Arrays.asList(null, null)));
  }

  @Test
  void int64Sum_exact_heldAtTheBoundBeyondIt() {
    Aggregator sum = Aggregator.of(AggregateFunction.SUM, ValueType.INT64);
    Partial partial = sum.empty();
    partial.add(Long.MAX_VALUE, 0, 0, 0);
    partial.add(Long.MAX_VALUE, 0, 0, 0);
    partial.add(Long.MIN_VALUE, 0, 0, 0);
    assertEquals(Long.MAX_VALUE - 1, partial.value());
    partial.add(Long.MAX_VALUE, 0, 0, 0);
    assertEquals(Long.MAX_VALUE, partial.value());
    Partial mean = Aggregator.of(AggregateFunction.MEAN, ValueType.INT64).empty();
    mean.add(1L, 0, 0, 0);
    mean.add(2L, 0, 0, 0);
    assertEquals(1.5, mean.value());
  }

  @Test
  void last_newestByEventTimeThenIngestedThenPosition_skipsNulls() {
    Aggregator last = Aggregator.of(AggregateFunction.LAST, ValueType.STRING);
    Partial partial = last.empty();
    partial.add("b", 10, 5, 1);
    partial.add("a", 10, 5, 0);
    partial.add("old", 9, 99, 9);
    partial.add(null, 11, 1, 0);
    assertEquals("b", partial.value());
    Partial later = last.empty();
    later.add("c", 10, 6, 0);
    partial.merge(later);
    assertEquals("c", partial.value());
  }

  @Test
  void minMax_stringsByCodePoint_zerosOneDistinctValue() {
    String astral = new String(Character.toChars(0x1F600));
    List<Object> strings = List.of("\uFF61", astral, "b");
    assertEquals("b", value(AggregateFunction.MIN, strings, ValueType.STRING));
    assertEquals(astral, value(AggregateFunction.MAX, strings, ValueType.STRING));
    assertEquals(1L, value(AggregateFunction.COUNT_DISTINCT, List.of(0.0, -0.0)));
    assertEquals(false, value(AggregateFunction.MIN, List.of(true, false), ValueType.BOOL));
  }

  /**
   * Exact when the quotient has a finite decimal expansion (a double's tie points all do), else to
   * more digits than any double needs.
   */
  private static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
    try {
      return dividend.divide(divisor);
    } catch (ArithmeticException nonTerminating) {
      return dividend.divide(divisor, WIDE);
    }
  }

  private static double sum(double... values) {
    Partial partial = Aggregator.of(AggregateFunction.SUM, ValueType.FLOAT64).empty();
    for (double value : values) {
      partial.add(value, 0, 0, 0);
    }
    return (Double) partial.value();
  }

  private static Object value(AggregateFunction function, List<Object> values) {
    return value(function, values, ValueType.FLOAT64);
  }

  private static Object value(AggregateFunction function, List<Object> values, ValueType type) {
    Partial partial = Aggregator.of(function, type).empty();
    values.forEach(v -> partial.add(v, 0, 0, 0));
    return partial.value();
  }

  private static List<Object> nonNull(List<Object> values) {
    List<Object> kept = new ArrayList<>(values);
    kept.removeIf(v -> v == null);
    if (kept.isEmpty()) {
      kept.add(1.0);
    }
    return kept;
  }

  private static List<ValueType> typesOf(AggregateFunction function) {
    if (!function.readsAField()) {
      return Collections.singletonList(null);
    }
    if (function.needsANumber()) {
      return List.of(ValueType.INT64, ValueType.FLOAT64);
    }
    return List.of(ValueType.INT64, ValueType.FLOAT64, ValueType.BOOL, ValueType.STRING);
  }

  /** Values of every magnitude a double has, signs, zeros, subnormals, duplicates and nulls. */
  static List<Object> randomValues(Random random, ValueType type, int size) {
    List<Object> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      if (random.nextInt(10) == 0) {
        values.add(null);
        continue;
      }
      switch (type == null ? ValueType.FLOAT64 : type) {
        case INT64:
          values.add(random.nextInt(4) == 0 ? random.nextLong() : (long) random.nextInt(100) - 50);
          break;
        case BOOL:
          values.add(random.nextBoolean());
          break;
        case STRING:
          values.add("v" + random.nextInt(20));
          break;
        default:
          values.add(randomDouble(random));
      }
    }
    return values;
  }

  private static double randomDouble(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL)
            * (random.nextBoolean() ? 1 : -1);
      case 1:
        return random.nextInt(3) - 1 == 0 ? -0.0 : Double.MIN_VALUE * random.nextInt(1000);
      case 2:
        return Math.round(random.nextDouble() * 100_000) / 100.0;
      case 3:
        return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
      default:
        return random.nextInt(50) * 0.1;
    }
  }

  private static void assertSameValue(Object expected, Object actual, String what) {
    if (expected instanceof Double && actual instanceof Double) {
      assertBits((Double) expected, (Double) actual, what);
    } else {
      assertEquals(expected, actual, what);
    }
  }

  private static void assertBits(double expected, double actual, String what) {
    assertEquals(
        Double.doubleToRawLongBits(expected),
        Double.doubleToRawLongBits(actual),
        what + ": expected " + expected + " but was " + actual);
  }
}
