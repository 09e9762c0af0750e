package io.freshet.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.regex.Pattern;

/**
 * CSV cells written as JSON values. A cell is text; what JSON value it becomes depends on the type
 * the column has (a feature's, a join key's) or, for a column with none, on what it looks like.
 * Numbers keep their digits: nothing is parsed into a double and printed again.
 */
final class JsonText {

  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
  private static final Pattern NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private JsonText() {}

  static String string(String text) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
  }

  /**
   * A cell of a column of a known type ({@code int64}, {@code float64}, {@code bool}, {@code
   * string}, {@code timestamp}). A cell that is not of its type is sent as a string, for the server
   * to refuse with its own message.
   */
  static String typed(String cell, String type) {
    if (cell == null) {
      return "null";
    }
    return switch (type) {
      case "int64" -> INTEGER.matcher(cell).matches() ? cell : string(cell);
      case "float64" -> NUMBER.matcher(cell).matches() ? cell : string(cell);
      case "bool" ->
          cell.equalsIgnoreCase("true") || cell.equalsIgnoreCase("false")
              ? cell.toLowerCase(java.util.Locale.ROOT)
              : string(cell);
      default -> string(cell);
    };
  }

  /** A cell of a column of no known type: a number or boolean if it reads as one, else text. */
  static String guessed(String cell) {
    if (cell == null) {
      return "null";
    }
    if (NUMBER.matcher(cell).matches() || cell.equals("true") || cell.equals("false")) {
      return cell;
    }
    return string(cell);
  }
}
