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

  private static void appendPadded(StringBuilder out, long value) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < 18; i++) {
      out.append('0');
    }
    out.append(digits);
  }

  static FeatureRecord decode(String text) {
    long event = Long.parseLong(text, 0, 18, 10) - OFFSET_MICROS;
    long ingested = Long.parseLong(text, 19, 37, 10) - OFFSET_MICROS;
    return FeatureRecord.ofJson(event, ingested, text.substring(ORDER_PREFIX_LENGTH));
  }
}
