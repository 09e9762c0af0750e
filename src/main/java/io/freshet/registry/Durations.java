package io.freshet.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as schema files write them: a positive integer and a unit, such as {@code 30s}. */
public final class Durations {

  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]*)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or {@code 30d} into milliseconds.
   *
   * @throws IllegalArgumentException if the text is not of that form or does not fit a long
   */
  public static long parseMillis(String text) {
    Matcher matcher = text == null ? null : DURATION.matcher(text);
    if (matcher == null || !matcher.matches()) {
      throw new IllegalArgumentException(
          "malformed duration '"
              + text
              + "': expected a positive integer followed by ms, s, m, h or d, such as 30s");
    }
    try {
      return Math.multiplyExact(Long.parseLong(matcher.group(1)), unitMillis(matcher.group(2)));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration '" + text + "' is too large", e);
    }
  }

  private static long unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
  }
}
