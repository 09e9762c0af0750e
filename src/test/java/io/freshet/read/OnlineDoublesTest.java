package io.freshet.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.model.Cell;
import io.freshet.model.Status;
import io.freshet.registry.DeclaredCatalog;
import io.freshet.registry.Registry;
import io.freshet.registry.SchemaLoader;
import io.freshet.registry.SchemaSet;
import io.freshet.selection.FeatureSelection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Online responses format doubles with Schubfach, not {@link Double#toString}: every double must
 * still come back bit for bit (the sign of zero included) from the text a client parses, as a JSON
 * number, and never in more digits than before.
 */
class OnlineDoublesTest {

  private static final Pattern VALUE = Pattern.compile("\"values\":\\{\"profile:score\":([^}]*)}");
  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final long MANTISSA = 0x000F_FFFF_FFFF_FFFFL;

  private static FeatureSelection selection;

  private final Random random = new Random(2026);

  @BeforeAll
  static void loadSchemas() throws Exception {
    SchemaSet schemas = SchemaLoader.load(Path.of("src/test/resources/schemas"));
    selection =
        FeatureSelection.ofNames(
            new Registry(schemas, Map.of()), DeclaredCatalog.of(schemas), List.of("profile:score"));
  }

  @Test
  void write_edgeDoubles_parseBackToSameBits() {
    double[] edges = {
      0.0,
      -0.0,
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MIN_NORMAL,
      Math.nextDown(Double.MIN_NORMAL),
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      1.0,
      -1.0,
      0.1,
      0.3,
      1.0 / 3,
      2.0e-3,
      1.0e-3,
      Math.nextDown(1.0e-3),
      1.0e7,
      Math.nextDown(1.0e7),
      Math.nextUp(1.0e7),
      1.0e23,
      2.0e23,
      8.41e21,
      5.0e-324,
      9007199254740992.0,
      9007199254740994.0,
      0x1p63,
      -0x1p63,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      8.314852840520192,
      253.56001214396147
    };
    assertRoundTrips(edges);
  }

  @Test
  void write_randomBitPatterns_parseBackToSameBits() {
    for (int response = 0; response < 100; response++) {
      assertRoundTrips(
          random
              .longs(1000)
              .mapToDouble(Double::longBitsToDouble)
              .filter(Double::isFinite)
              .toArray());
    }
  }

  @Test
  void write_subnormals_parseBackToSameBits() {
    for (int response = 0; response < 30; response++) {
      assertRoundTrips(
          random
              .longs(1000)
              .map(bits -> bits & (MANTISSA | Long.MIN_VALUE))
              .mapToDouble(Double::longBitsToDouble)
              .toArray());
    }
  }

  @Test
  void write_integersAsDoubles_parseBackToSameBits() {
    for (int response = 0; response < 30; response++) {
      assertRoundTrips(
          LongStream.concat(
                  random.longs(500),
                  random.longs(500, -10_000_000_000L, 10_000_000_000L).map(n -> n >> (n & 31)))
              .mapToDouble(n -> n)
              .toArray());
    }
  }

  /** Values as features and transformations produce them: a few decimals, ratios, logs, scores. */
  @Test
  void write_featureLikeDoubles_parseBackToSameBits() {
    for (int response = 0; response < 60; response++) {
      double[] values = new double[1000];
      for (int i = 0; i < values.length; i++) {
        double scale = Math.pow(10, random.nextInt(30) - 12);
        values[i] =
            switch (i % 4) {
              case 0 -> Math.round(random.nextDouble() * 100_000) / 100.0;
              case 1 -> random.nextInt(5000) / 365.25;
              case 2 -> Math.log1p(random.nextDouble() * 5000);
              default -> random.nextGaussian() * scale;
            };
      }
      assertRoundTrips(values);
    }
  }

  @Test
  void write_nonFiniteDoubles_quotedAsBefore() {
    assertEquals(
        List.of("\"NaN\"", "\"Infinity\"", "\"-Infinity\""),
        written(new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}));
  }

  private static void assertRoundTrips(double[] values) {
    List<String> texts = written(values);
    assertEquals(values.length, texts.size());
    for (int i = 0; i < values.length; i++) {
      String text = texts.get(i);
      double value = values[i];
      assertTrue(JSON_NUMBER.matcher(text).matches(), () -> text + " is not a JSON number");
      assertEquals(
          Double.doubleToRawLongBits(value),
          Double.doubleToRawLongBits(Double.parseDouble(text)),
          () -> text + " does not parse back to " + Double.toString(value));
      assertTrue(
          text.length() <= Double.toString(value).length(),
          () -> text + " is longer than " + Double.toString(value));
    }
  }

  /** The text of each value as the online response writes it, one entity per value. */
  private static List<String> written(double[] values) {
    List<Object> keys = new ArrayList<>(values.length);
    List<Cell[]> rows = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      keys.add((long) i);
      rows.add(new Cell[] {new Cell(values[i], 1_764_000_000_000_000L, 0, Status.FRESH, "hot")});
    }
    OnlineResult result = Results.of(selection, "user_id", keys, rows);
    Matcher matcher =
        VALUE.matcher(
            OnlineResponseWriter.write(result, false, false).toString(StandardCharsets.UTF_8));
    List<String> texts = new ArrayList<>(values.length);
    while (matcher.find()) {
      texts.add(matcher.group(1));
    }
    return texts;
  }
}
