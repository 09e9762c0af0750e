package io.freshet.cli;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records read one at a time: quoted fields may hold commas, doubled quotes and line
 * breaks; lines end in LF or CRLF. An empty unquoted field reads as null and a quoted empty one as
 * the empty string, the distinction Freshet's own CSV makes between null and "".
 */
final class CsvRecords {

  private static final int NONE = -2;

  private final Reader in;
  private int line = 1;
  private int recordLine;
  private int pending = NONE;

  CsvRecords(Reader in) {
    this.in = in;
  }

  /** The line the last record returned started on, from 1. */
  int recordLine() {
    return recordLine;
  }

  /** The next record's fields, or null at the end. Blank lines are skipped. */
  List<String> next() throws IOException {
    int c = read();
    while (c == '\r' || c == '\n') {
      endOfLine(c);
      c = read();
    }
    if (c == -1) {
      return null;
    }
    recordLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (true) {
      if (quoted) {
        if (c == -1) {
          throw new IOException("line " + recordLine + ": a quoted field is never closed");
        }
        if (c == '"') {
          int after = read();
          if (after != '"') {
            quoted = false;
            c = after;
            continue;
          }
        } else if (c == '\n') {
          line++;
        }
        field.append((char) c);
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',' || c == '\n' || c == '\r' || c == -1) {
        fields.add(field.length() == 0 && !wasQuoted ? null : field.toString());
        field.setLength(0);
        wasQuoted = false;
        if (c != ',') {
          if (c != -1) {
            endOfLine(c);
          }
          return fields;
        }
      } else {
        field.append((char) c);
      }
      c = read();
    }
  }

  /** Counts a line break that began with {@code c}, a CRLF as one. */
  private void endOfLine(int c) throws IOException {
    line++;
    if (c == '\r') {
      int next = read();
      if (next != '\n') {
        pending = next;
      }
    }
  }

  private int read() throws IOException {
    if (pending != NONE) {
      int c = pending;
      pending = NONE;
      return c;
    }
    return in.read();
  }
}
