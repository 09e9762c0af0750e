package io.freshet.encoding;

import io.freshet.model.EnumNames;
import io.freshet.model.Timestamps;
import java.util.Optional;

/**
 * How a snapshot writes its timestamps, named in its manifest so that a re-run asks for the same
 * bytes. Both forms name the same instant.
 */
public enum TimestampPrecision {
  /** As stored, trailing zeros dropped in groups of three: {@code …34Z}, {@code …40.433593Z}. */
  STORED {
    @Override
    int write(long micros, byte[] out, int at) {
      return Timestamps.write(micros, out, at);
    }
  },

  /**
   * Always six fraction digits, so every value of a column has one width: pandas, for one, leaves a
   * column of mixed widths as strings.
   */
  MICROS {
    @Override
    int write(long micros, byte[] out, int at) {
      return Timestamps.writeMicros(micros, out, at);
    }
  };

  public static Optional<TimestampPrecision> parse(String text) {
    return EnumNames.parse(TimestampPrecision.class, text);
  }

  /** The name requests and manifests use. */
  public String wireName() {
    return EnumNames.name(this);
  }

  abstract int write(long micros, byte[] out, int at);
}
