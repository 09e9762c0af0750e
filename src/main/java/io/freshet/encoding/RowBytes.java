package io.freshet.encoding;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.freshet.model.Timestamps;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encoded snapshot rows: a growable byte array written straight from values, with no string or char
 * buffer in between, and handed to the response without a copy.
 */
final class RowBytes {

  private byte[] bytes;
  private int size;

  RowBytes(int capacity) {
    this.bytes = new byte[Math.max(capacity, 64)];
  }

  int size() {
    return size;
  }

  byte[] array() {
    return bytes;
  }

  /**
   * The bytes as a response buffer; this sink is not written after. Wrapped, not copied as {@code
   * Buffer.buffer(byte[])} would: a chunk is hundreds of kilobytes.
   */
  Buffer toBuffer() {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, 0, size));
  }

  void write(int b) {
    room(1);
    bytes[size++] = (byte) b;
  }

  void write(byte[] from) {
    write(from, 0, from.length);
  }

  void write(byte[] from, int offset, int length) {
    room(length);
    System.arraycopy(from, offset, bytes, size, length);
    size += length;
  }

  /** Text known to be ASCII: a number's or a boolean's digits and letters. */
  void ascii(String text) {
    int length = text.length();
    room(length);
    for (int i = 0; i < length; i++) {
      bytes[size++] = (byte) text.charAt(i);
    }
  }

  void utf8(String text) {
    byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
    write(encoded, 0, encoded.length);
  }

  /** {@code Long.toString}'s digits, without the String. */
  void decimal(long value) {
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
    for (int at = end - 1; at >= size; at--) {
      bytes[at] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size = end;
  }

  void shortestDouble(double value) {
    room(ShortestDouble.MAX_LENGTH);
    size = ShortestDouble.write(value, bytes, size);
  }

  /** A JSON string, escaped exactly as Jackson's generator escapes it. */
  void jsonString(String text) {
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

  void jsonTimestamp(long micros) {
    room(Timestamps.MAX_LENGTH + 2);
    bytes[size++] = '"';
    size = Timestamps.write(micros, bytes, size);
    bytes[size++] = '"';
  }

  /** {@code "name":}, to write before a value. */
  static byte[] jsonField(String name) {
    RowBytes field = new RowBytes(name.length() + 3);
    field.jsonString(name);
    field.write(':');
    return Arrays.copyOf(field.bytes, field.size);
  }

  void timestamp(long micros) {
    room(Timestamps.MAX_LENGTH);
    size = Timestamps.write(micros, bytes, size);
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
