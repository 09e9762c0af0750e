package io.freshet.write;

import io.freshet.model.StoredText;
import io.freshet.registry.FeatureDef;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The type and constraint checks of one feature, prepared once per view: bounds as the numbers a
 * value is compared with, allowed values as a set. Each check answers a problem message, or null
 * when the value fits.
 */
final class FeatureValues {

  /**
   * A string value may be this long in UTF-8: far above any feature's, and far below what every
   * tier would then hold and every instance's change feed would carry per write.
   */
  static final int MAX_STRING_BYTES = 65_536;

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  final FeatureDef feature;

  /** {@code "name":}, ready to write into a record's JSON text. */
  final String jsonName;

  private final Set<String> allowed;
  private final double minDouble;
  private final double maxDouble;
  private final boolean longBounds;
  private final long minLong;
  private final long maxLong;

  FeatureValues(FeatureDef feature) {
    this.feature = feature;
    this.jsonName = "\"" + feature.name() + "\":";
    this.allowed = Set.copyOf(feature.allowedValues());
    this.minDouble = feature.min() == null ? 0 : feature.min().doubleValue();
    this.maxDouble = feature.max() == null ? 0 : feature.max().doubleValue();
    // An integer is below min exactly when it is below min rounded up, and above max exactly when
    // it is above max rounded down: for bounds within the int64 range, a comparison of longs.
    this.longBounds = fitsLong(feature.min()) && fitsLong(feature.max());
    this.minLong =
        feature.min() == null
            ? Long.MIN_VALUE
            : longBounds
                ? feature.min().setScale(0, java.math.RoundingMode.CEILING).longValue()
                : 0;
    this.maxLong =
        feature.max() == null
            ? Long.MAX_VALUE
            : longBounds ? feature.max().setScale(0, java.math.RoundingMode.FLOOR).longValue() : 0;
  }

  private static boolean fitsLong(BigDecimal bound) {
    return bound == null || (bound.compareTo(LONG_MIN) >= 0 && bound.compareTo(LONG_MAX) <= 0);
  }

  /**
   * Whether {@code text} takes more than {@code maxBytes} in UTF-8, without encoding a huge one.
   */
  static boolean longerThan(String text, int maxBytes) {
    return text.length() > maxBytes
        || (text.length() * 3L > maxBytes
            && text.getBytes(StandardCharsets.UTF_8).length > maxBytes);
  }

  String checkLong(long value) {
    if (longBounds) {
      if (value < minLong) {
        return below();
      }
      return value > maxLong ? above() : null;
    }
    return range(BigDecimal.valueOf(value));
  }

  /**
   * A double against decimal bounds, exactly: a value on the other side of a bound's nearest double
   * is on that side of the bound itself, so only a value equal to it needs the decimal comparison.
   */
  String checkDouble(double value) {
    if (!Double.isFinite(value)) {
      return "must be a finite number";
    }
    if (feature.min() != null
        && (value < minDouble
            || (value == minDouble && new BigDecimal(value).compareTo(feature.min()) < 0))) {
      return below();
    }
    if (feature.max() != null
        && (value > maxDouble
            || (value == maxDouble && new BigDecimal(value).compareTo(feature.max()) > 0))) {
      return above();
    }
    return null;
  }

  String checkString(String value) {
    if (longerThan(value, MAX_STRING_BYTES)) {
      return "is longer than " + MAX_STRING_BYTES + " bytes";
    }
    if (!StoredText.storable(value)) {
      return "must be a string " + StoredText.REQUIREMENT;
    }
    if (!allowed.isEmpty() && !allowed.contains(value)) {
      return "must be one of " + feature.allowedValues();
    }
    return null;
  }

  private String range(BigDecimal value) {
    if (feature.min() != null && value.compareTo(feature.min()) < 0) {
      return below();
    }
    if (feature.max() != null && value.compareTo(feature.max()) > 0) {
      return above();
    }
    return null;
  }

  private String below() {
    return "is below the minimum " + feature.min().toPlainString();
  }

  private String above() {
    return "is above the maximum " + feature.max().toPlainString();
  }
}
