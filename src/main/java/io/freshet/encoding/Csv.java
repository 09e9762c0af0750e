package io.freshet.encoding;

/** RFC 4180 fields: quoted only when they hold a comma, a quote or a line break. */
final class Csv {

  private Csv() {}

  /** Null is the empty field; an empty string is quoted so the two stay apart. */
  static String value(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    return text.isEmpty() ? "\"\"" : field(text);
  }

  static String field(String text) {
    if (text.indexOf(',') < 0
        && text.indexOf('"') < 0
        && text.indexOf('\n') < 0
        && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
