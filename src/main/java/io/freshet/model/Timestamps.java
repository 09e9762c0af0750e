package io.freshet.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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
    long micros = parsePlain(text);
    return micros != NOT_PLAIN ? micros : parseAnyOffset(text);
  }

  private static final long NOT_PLAIN = Long.MIN_VALUE;

  /**
   * The forms nearly every client sends, {@code 2026-11-22T10:00:00.123456Z} or with an offset
   * {@code +00:00} (Python's {@code isoformat()}), read without the formatter (a snapshot request
   * parses a million of them); anything else, valid or not, is left to {@link #parseAnyOffset},
   * which alone decides what is refused and how.
   */
  private static long parsePlain(String text) {
    int length = text.length();
    int end = length - 1;
    int offsetSeconds = 0;
    if (length > 6 && text.charAt(length - 3) == ':') {
      end = length - 6;
      int hours = digits(text, end + 1, end + 3);
      int minutes = digits(text, end + 4, length);
      char sign = text.charAt(end);
      if ((sign != '+' && sign != '-') || hours < 0 || hours > 17 || minutes < 0 || minutes > 59) {
        return NOT_PLAIN;
      }
      offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    } else if (text.isEmpty() || text.charAt(end) != 'Z') {
      return NOT_PLAIN;
    }
    // Date and time take 19 characters, then nothing or '.' and one to six digits.
    if (end < 19 || end == 20 || end > 26) {
      return NOT_PLAIN;
    }
    if (text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || (end > 19 && text.charAt(19) != '.')) {
      return NOT_PLAIN;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int fraction = end > 19 ? digits(text, 20, end) : 0;
    if ((hour | minute | second | fraction) < 0
        || year < MIN_YEAR
        || month < 1
        || month > 12
        || day < 1
        || day > LocalDate.of(year, month, 1).lengthOfMonth()
        || hour > 23
        || minute > 59
        || second > 59
        // An offset can carry the first or last year's times out of range: the formatter decides.
        || (offsetSeconds != 0 && (year == MIN_YEAR || year == MAX_YEAR))) {
      return NOT_PLAIN;
    }
    for (int d = end; d < 26; d++) {
      fraction *= 10;
    }
    long seconds =
        LocalDate.of(year, month, day).toEpochDay() * SECONDS_PER_DAY
            + hour * 3600L
            + minute * 60L
            + second
            - offsetSeconds;
    return seconds * MICROS_PER_SECOND + fraction;
  }

  /** The decimal number in {@code text[from, to)}, or -1 if any character is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static long parseAnyOffset(String text) {
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

  /**
   * Built from its date and time, not from an instant: {@code Instant.atOffset} asks the offset for
   * its rules, which makes new ones on every call, and a batch converts a thousand times.
   */
  public static OffsetDateTime toOffsetDateTime(long micros) {
    return OffsetDateTime.of(
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(micros, MICROS_PER_SECOND),
            (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000,
            ZoneOffset.UTC),
        ZoneOffset.UTC);
  }

  public static OffsetDateTime[] toOffsetDateTimes(long[] micros) {
    OffsetDateTime[] times = new OffsetDateTime[micros.length];
    for (int i = 0; i < times.length; i++) {
      times[i] = toOffsetDateTime(micros[i]);
    }
    return times;
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
    byte[] out = new byte[MAX_LENGTH];
    return new String(out, 0, write(micros, out, 0), StandardCharsets.ISO_8859_1);
  }

  /** The longest text {@link #format} answers. */
  public static final int MAX_LENGTH = 27;

  /** Writes what {@link #format} answers, as ASCII bytes at {@code at}; answers the end. */
  public static int write(long micros, byte[] out, int at) {
    long seconds = Math.floorDiv(micros, MICROS_PER_SECOND);
    int fraction = (int) Math.floorMod(micros, MICROS_PER_SECOND);
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    if (date.getYear() < MIN_YEAR || date.getYear() > MAX_YEAR) {
      throw new IllegalStateException("unrepresentable timestamp " + micros);
    }
    digits(out, at, date.getYear(), 4);
    out[at + 4] = '-';
    digits(out, at + 5, date.getMonthValue(), 2);
    out[at + 7] = '-';
    digits(out, at + 8, date.getDayOfMonth(), 2);
    out[at + 10] = 'T';
    digits(out, at + 11, secondOfDay / 3600, 2);
    out[at + 13] = ':';
    digits(out, at + 14, secondOfDay / 60 % 60, 2);
    out[at + 16] = ':';
    digits(out, at + 17, secondOfDay % 60, 2);
    int end = at + 19;
    if (fraction != 0) {
      out[end++] = '.';
      if (fraction % 1000 == 0) {
        end = digits(out, end, fraction / 1000, 3);
      } else {
        end = digits(out, end, fraction, 6);
      }
    }
    out[end++] = 'Z';
    return end;
  }

  /**
   * Writes the UTC {@code Z} form with exactly six fraction digits, whatever the value: one width
   * for every timestamp of a column, which readers that infer a column's type from its first values
   * need.
   */
  public static int writeMicros(long micros, byte[] out, int at) {
    int end = write(Math.floorDiv(micros, MICROS_PER_SECOND) * MICROS_PER_SECOND, out, at) - 1;
    out[end++] = '.';
    end = digits(out, end, (int) Math.floorMod(micros, MICROS_PER_SECOND), 6);
    out[end++] = 'Z';
    return end;
  }

  /** Writes {@code value} zero-padded to {@code width} digits at {@code at}; answers the end. */
  private static int digits(byte[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }

  public static long nowMicros(java.time.Clock clock) {
    return toMicros(clock.instant());
  }
}
