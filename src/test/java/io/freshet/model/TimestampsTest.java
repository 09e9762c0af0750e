package io.freshet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  private static String iso(long micros) {
    return DateTimeFormatter.ISO_INSTANT.format(
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000));
  }

  @Test
  void format_matchesIsoInstantForEdgesAndRandomTimes() {
    long[] edges = {
      0,
      1,
      999,
      1000,
      1_000_000,
      -1,
      -1_000_001,
      253_402_300_799_999_999L,
      -62_135_596_800_000_000L,
      1_763_805_600_000_000L,
      1_763_805_600_123_000L,
      1_763_805_600_123_456L,
      1_763_805_600_000_010L
    };
    for (long micros : edges) {
      assertEquals(iso(micros), Timestamps.format(micros));
    }
    Random random = new Random(20261124);
    for (int i = 0; i < 200_000; i++) {
      long micros =
          Math.floorMod(random.nextLong(), 315_537_897_600_000_000L) - 62_135_596_800_000_000L;
      assertEquals(iso(micros), Timestamps.format(micros), Long.toString(micros));
    }
  }

  @Test
  void parse_keepsMicrosecondsAndOffsetsRefusesZoneLessAndNanos() {
    assertEquals(
        Timestamps.parseMicros("2026-11-22T10:00:00.123456Z"),
        Timestamps.parseMicros("2026-11-22T12:00:00.123456+02:00"));
    assertEquals(
        "2026-11-22T10:00:00.123456Z",
        Timestamps.format(Timestamps.parseMicros("2026-11-22T12:00:00.123456+02:00")));
    assertThrows(
        IllegalArgumentException.class, () -> Timestamps.parseMicros("2026-11-22T10:00:00"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Timestamps.parseMicros("2026-11-22T10:00:00.123456789Z"));
    assertThrows(
        IllegalArgumentException.class, () -> Timestamps.parseMicros("+10000-01-01T00:00:00Z"));
  }

  /**
   * What {@link Timestamps#parseMicros} must answer, by the formatter alone; null for a refusal.
   */
  private static Long reference(String text) {
    OffsetDateTime time;
    try {
      time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      return null;
    }
    int year = time.toInstant().atOffset(ZoneOffset.UTC).getYear();
    if (time.getNano() % 1000 != 0 || year < 1 || year > 9999) {
      return null;
    }
    return Timestamps.toMicros(time.toInstant());
  }

  private static void assertParsesLikeTheFormatter(String text) {
    Long expected = reference(text);
    if (expected == null) {
      assertThrows(IllegalArgumentException.class, () -> Timestamps.parseMicros(text), text);
    } else {
      assertEquals(expected, Timestamps.parseMicros(text), text);
    }
  }

  @Test
  void parse_fastFormsAgreeWithTheFormatterOnValidAndMangledTimes() {
    String[] edges = {
      "2024-02-29T23:59:59.999999Z",
      "2026-02-29T10:00:00Z",
      "2026-04-31T10:00:00Z",
      "2026-11-22T24:00:00Z",
      "2026-11-22T23:60:00Z",
      "2026-11-22T23:59:60Z",
      "0000-01-01T00:00:00Z",
      "0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999999Z",
      "2026-11-22T10:00:00.Z",
      "2026-11-22T10:00:00.1Z",
      "2026-11-22T10:00:00.1234567Z",
      "2026-11-22t10:00:00z",
      "2026-11-22T10:00:00+00:00",
      "2026-11-22T10:00:00.123456+00:00",
      "2026-11-22T10:00:00.123456-00:00",
      "2026-11-22T10:00:00.5+05:30",
      "2026-11-22T10:00:00-09:59",
      "2026-11-22T10:00:00+17:59",
      "2026-11-22T10:00:00+18:00",
      "2026-11-22T10:00:00+18:01",
      "2026-11-22T10:00:00+24:00",
      "2026-11-22T10:00:00+01:60",
      "2026-11-22T10:00:00+1:00",
      "2026-11-22T10:00:00+01:00:00",
      "2026-11-22T10:00:00+0100",
      "2026-11-22T10:00:00*01:00",
      "2026-11-22T10:00:00.+01:00",
      "0001-01-01T00:30:00+01:00",
      "0001-01-01T00:30:00-01:00",
      "9999-12-31T23:30:00-01:00",
      "9999-12-31T23:30:00+01:00",
      "+00:00",
      "2026-13-22T10:00:00Z",
      "2026-00-22T10:00:00Z",
      "2026-11-00T10:00:00Z",
      "2026-11-22T1:00:00Z",
      "-026-11-22T10:00:00Z",
      "2026-11-22T10:00:-1Z"
    };
    for (String edge : edges) {
      assertParsesLikeTheFormatter(edge);
    }
    Random random = new Random(20261204);
    String alphabet = "0123456789-:.TZtz+ ";
    for (int i = 0; i < 200_000; i++) {
      long micros =
          Math.floorMod(random.nextLong(), 315_537_897_600_000_000L) - 62_135_596_800_000_000L;
      String text = iso(micros);
      if (random.nextBoolean()) {
        // The same instant written at some offset, as clients outside UTC and Python send it.
        ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(36 * 60 + 1) - 18 * 60) * 60);
        OffsetDateTime local = Instant.parse(text).atOffset(offset);
        text =
            local.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"))
                + text.substring(19, text.length() - 1)
                + (offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId());
      }
      if (random.nextBoolean()) {
        // Any number of fraction digits, not only the groups of three ISO_INSTANT writes.
        int zone = text.endsWith("Z") ? text.length() - 1 : text.length() - 6;
        StringBuilder fraction = new StringBuilder(text.substring(0, 19)).append('.');
        for (int d = random.nextInt(10); d >= 0; d--) {
          fraction.append((char) ('0' + random.nextInt(10)));
        }
        text = fraction.append(text.substring(zone)).toString();
      }
      if (random.nextInt(3) == 0) {
        char[] chars = text.toCharArray();
        chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
        text = new String(chars);
      }
      assertParsesLikeTheFormatter(text);
    }
  }
}
