package io.freshet.tier;

import io.freshet.model.FeatureRecord;

/**
 * The warm tier's text form of a record: a fixed-width order prefix that the newest-wins script
 * compares as a string, then the values as JSON. Offsetting by the micros from year 1 to 1970 makes
 * every supported timestamp a non-negative 18-digit number.
 */
final class RecordCodec {

  static final int ORDER_PREFIX_LENGTH = 38;
  private static final long OFFSET_MICROS = 62_135_596_800_000_000L;

  private RecordCodec() {}

  static String encode(FeatureRecord record) {
    String values = record.json();
    StringBuilder out = new StringBuilder(ORDER_PREFIX_LENGTH + values.length());
    appendPadded(out, record.eventMicros() + OFFSET_MICROS);
    out.append('|');
    appendPadded(out, record.ingestedMicros() + OFFSET_MICROS);
    return out.append('|').append(values).toString();
  }

  /** The 18 decimal digits of a non-negative value below 10^18, most significant first. */
  private static void appendPadded(StringBuilder out, long value) {
    int at = out.length();
    out.setLength(at + 18);
    long rest = value;
    for (int i = at + 17; i >= at; i--) {
      out.setCharAt(i, (char) ('0' + rest % 10));
      rest /= 10;
    }
  }

  static FeatureRecord decode(String text) {
    long event = Long.parseLong(text, 0, 18, 10) - OFFSET_MICROS;
    long ingested = Long.parseLong(text, 19, 37, 10) - OFFSET_MICROS;
    return FeatureRecord.ofJson(event, ingested, text.substring(ORDER_PREFIX_LENGTH));
  }
}
