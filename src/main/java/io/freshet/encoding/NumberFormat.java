package io.freshet.encoding;

import io.freshet.model.EnumNames;
import java.util.Optional;

/**
 * How a snapshot writes doubles, named in its manifest so that a re-run can ask for the same bytes.
 * Both forms read back as exactly the same double; they differ in which digits are printed for a
 * small share of values.
 */
public enum NumberFormat {
  /**
   * The shortest decimal that reads back as the same double ({@link ShortestDouble}: Schubfach, the
   * algorithm of {@code Double.toString} from Java 19 on), computed by Freshet itself so the bytes
   * do not depend on the JVM; the same text online responses carry.
   */
  SHORTEST {
    @Override
    void write(double value, RowBytes out) {
      out.shortestDouble(value);
    }
  },

  /**
   * The running JVM's {@code Double.toString}: what every snapshot used before the format was
   * recorded. On Java 17 it sometimes prints a digit or two more than needed (about 0.3% of all
   * doubles, mostly beyond 10^16 or below 10^-7), and takes twice as long for a 16-17 digit one.
   */
  JAVA {
    @Override
    void write(double value, RowBytes out) {
      out.ascii(Double.toString(value));
    }
  };

  public static Optional<NumberFormat> parse(String text) {
    return EnumNames.parse(NumberFormat.class, text);
  }

  /** The name requests and manifests use. */
  public String wireName() {
    return EnumNames.name(this);
  }

  abstract void write(double value, RowBytes out);
}
