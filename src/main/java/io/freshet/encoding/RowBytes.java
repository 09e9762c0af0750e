package io.freshet.encoding;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.freshet.model.Timestamps;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON and CSV written straight into a growable byte array, with no string or char buffer in
 * between, and handed to the response without a copy: snapshot rows and online answers alike, so
 * both write a value's text the same way.
 */
public final class RowBytes {

  /** "00" to "99", the two ASCII digits of each number below 100. */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private byte[] bytes;
  private int size;

  public RowBytes(int capacity) {
    this.bytes = new byte[Math.max(capacity, 64)];
  }

  public int size() {
    return size;
  }

  public byte[] array() {
    return bytes;
  }

  /** Empties the sink to write again; only for bytes never handed out by {@link #toBuffer()}. */
  void clear() {
    size = 0;
  }

  /**
   * The bytes as a response buffer; this sink is not written after. Wrapped, not copied as {@code
   * Buffer.buffer(byte[])} would: a chunk is hundreds of kilobytes.
   */
  public Buffer toBuffer() {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, 0, size));
  }

  public void write(int b) {
    room(1);
    bytes[size++] = (byte) b;
  }

  public void write(byte[] from) {
    write(from, 0, from.length);
  }

  public void write(byte[] from, int offset, int length) {
    room(length);
    System.arraycopy(from, offset, bytes, size, length);
    size += length;
  }

  /** Text known to be ASCII: a number's or a boolean's digits and letters. */
  public void ascii(String text) {
    int length = text.length();
    room(length);
    for (int i = 0; i < length; i++) {
      bytes[size++] = (byte) text.charAt(i);
    }
  }

  public void utf8(String text) {
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    write(encoded, 0, encoded.length);
  }

  /** {@code Long.toString}'s digits, without the String: two digits a division. */
  public void decimal(long value) {
    if (value == Long.MIN_VALUE) {
      ascii(Long.toString(value));
      return;
    }
    room(20);
    if (value < 0) {
      bytes[size++] = '-';
      value = -value;
    }
    int end = size + digitCount(value);
    int at = end;
    while (value > Integer.MAX_VALUE) {
      int pair = (int) (value % 100);
      value /= 100;
      at -= 2;
      bytes[at] = DIGIT_PAIRS[2 * pair];
      bytes[at + 1] = DIGIT_PAIRS[2 * pair + 1];
    }
    int small = (int) value;
    while (small >= 10) {
      int pair = small % 100;
      small /= 100;
      at -= 2;
      bytes[at] = DIGIT_PAIRS[2 * pair];
      bytes[at + 1] = DIGIT_PAIRS[2 * pair + 1];
    }
    if (at > size) {
      bytes[size] = (byte) ('0' + small);
    }
    size = end;
  }

  public void shortestDouble(double value) {
    room(ShortestDouble.MAX_LENGTH);
    size = ShortestDouble.write(value, bytes, size);
  }

  /** A JSON string, escaped exactly as Jackson's generator escapes it. */
  public void jsonString(String text) {
    int length = text.length();
    room(length + 2);
    int at = size;
    bytes[at++] = '"';
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        // Not plain ASCII: Jackson's encoder, which allocates, decides.
        escapedString(text);
        return;
      }
      bytes[at++] = (byte) c;
    }
    bytes[at++] = '"';
    size = at;
  }

  private void escapedString(String text) {
    byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
    room(escaped.length + 2);
    bytes[size++] = '"';
    System.arraycopy(escaped, 0, bytes, size, escaped.length);
    size += escaped.length;
    bytes[size++] = '"';
  }

  public void jsonTimestamp(long micros) {
    jsonTimestamp(micros, TimestampPrecision.STORED);
  }

  public void jsonTimestamp(long micros, TimestampPrecision precision) {
    room(Timestamps.MAX_LENGTH + 2);
    bytes[size++] = '"';
    size = precision.write(micros, bytes, size);
    bytes[size++] = '"';
  }

  /** {@code "name":}, to write before a value. */
  public static byte[] jsonField(String name) {
    RowBytes field = new RowBytes(name.length() + 3);
    field.jsonString(name);
    field.write(':');
    return field.toArray();
  }

  /**
   * A feature value as JSON: numbers and booleans bare (doubles as {@code doubles} writes them),
   * null as {@code null}, anything else as a string. A double that is not finite is a string too,
   * as Jackson's generator writes one.
   */
  public void jsonValue(Object value, NumberFormat doubles) {
    if (value == null) {
      ascii("null");
    } else if (value instanceof Long) {
      decimal((Long) value);
    } else if (value instanceof Double && Double.isFinite((Double) value)) {
      doubles.write((Double) value, this);
    } else if (value instanceof Boolean) {
      ascii(value.toString());
    } else {
      jsonString(value.toString());
    }
  }

  /** Writes again {@code length} bytes written earlier at {@code at}. */
  public void repeat(int at, int length) {
    room(length);
    System.arraycopy(bytes, at, bytes, size, length);
    size += length;
  }

  /** {@code "text"}, escaped as {@link #jsonString} escapes it. */
  public static byte[] quoted(String text) {
    RowBytes quoted = new RowBytes(text.length() + 2);
    quoted.jsonString(text);
    return quoted.toArray();
  }

  /** A copy of what was written, for fragments kept and written again. */
  public byte[] toArray() {
    return Arrays.copyOf(bytes, size);
  }

  public void timestamp(long micros, TimestampPrecision precision) {
    room(Timestamps.MAX_LENGTH);
    size = precision.write(micros, bytes, size);
  }

  private static int digitCount(long value) {
    int digits = 1;
    for (long bound = 10; digits < 19 && value >= bound; bound *= 10) {
      digits++;
    }
    return digits;
  }

  private void room(int length) {
    if (size + length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
    }
  }
}
