package io.freshet.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
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
}
