package io.freshet.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed reads of environment variables that collect every malformed one before failing. */
final class EnvReader {

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  EnvReader(Map<String, String> env) {
    this.env = env;
  }

  String string(String name, String fallback) {
    String value = optional(name);
    return value == null ? fallback : value;
  }

  String optional(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  long integer(String name, long fallback) {
    String value = optional(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      problems.add(name + " must be an integer, got '" + value + "'");
      return fallback;
    }
  }

  /**
   * An integer setting held in an {@code int}: a value past its range is refused here, as casting
   * it would wrap it into a different, valid-looking one (a port of 2^32 + 80 would bind port 80).
   */
  int smallInteger(String name, int fallback) {
    long value = integer(name, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      problems.add(name + " is out of range, got '" + value + "'");
      return fallback;
    }
    return (int) value;
  }

  Duration millis(String name, Duration fallback) {
    long value = integer(name, fallback.toMillis());
    if (value < 0) {
      problems.add(name + " must not be negative");
      return fallback;
    }
    return Duration.ofMillis(value);
  }

  void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("; ", problems));
    }
  }
}
