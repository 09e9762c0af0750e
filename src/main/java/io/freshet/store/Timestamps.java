package io.freshet.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamps are microseconds since the Unix epoch everywhere inside Freshet: the precision
 * Postgres stores, exact in a {@code long}, and cheap to compare on the read path.
 */
public final class Timestamps {

  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long SECONDS_PER_DAY = 86_400L;
  private static final int MIN_YEAR = 1;
  private static final int MAX_YEAR = 9999;

  private Timestamps() {}

  /**
   * Parses an ISO-8601 time with a zone offset. A zone-less time, a finer precision than
   * microseconds, or a year outside 1..9999 is refused, so nothing is ever rounded.
   */
  public static long parseMicros(String text) {
    OffsetDateTime time;
    try {
      time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an ISO-8601 timestamp with a zone, e.g. 2026-11-22T10:00:00Z");
    }
    if (time.getNano() % 1000 != 0) {
      throw new IllegalArgumentException("'" + text + "' is more precise than microseconds");
    }
    Instant instant = time.toInstant();
    int year = instant.atOffset(ZoneOffset.UTC).getYear();
    if (year < MIN_YEAR || year > MAX_YEAR) {
      throw new IllegalArgumentException("'" + text + "' is outside the years 1 to 9999");
    }
    return toMicros(instant);
  }

  public static long toMicros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1000);
  }

  public static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
  }

  public static OffsetDateTime toOffsetDateTime(long micros) {
    return toInstant(micros).atOffset(ZoneOffset.UTC);
  }

  public static long fromOffsetDateTime(OffsetDateTime time) {
    return toMicros(time.toInstant());
  }

  /**
   * UTC {@code Z} form with the stored precision, exactly as {@code DateTimeFormatter.ISO_INSTANT}
   * writes it (the fraction in groups of three digits, none when zero), without its per-call
   * parsing machinery: snapshots format two timestamps per value.
   */
  public static String format(long micros) {
    long seconds = Math.floorDiv(micros, MICROS_PER_SECOND);
    int fraction = (int) Math.floorMod(micros, MICROS_PER_SECOND);
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    if (date.getYear() < MIN_YEAR || date.getYear() > MAX_YEAR) {
      throw new IllegalStateException("unrepresentable timestamp " + micros);
    }
    StringBuilder out = new StringBuilder(27);
    pad(out, date.getYear(), 4).append('-');
    pad(out, date.getMonthValue(), 2).append('-');
    pad(out, date.getDayOfMonth(), 2).append('T');
    pad(out, secondOfDay / 3600, 2).append(':');
    pad(out, secondOfDay / 60 % 60, 2).append(':');
    pad(out, secondOfDay % 60, 2);
    if (fraction != 0) {
      out.append('.');
      if (fraction % 1000 == 0) {
        pad(out, fraction / 1000, 3);
      } else {
        pad(out, fraction, 6);
      }
    }
    return out.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    for (int limit = width - 1, power = 1; limit > 0; limit--) {
      power *= 10;
      if (value < power) {
        out.append('0');
      }
    }
    return out.append(value);
  }

  public static long nowMicros(java.time.Clock clock) {
    return toMicros(clock.instant());
  }
}
