package io.freshet.aggregation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link ByteWriter} wrote; a truncated or malformed encoding is refused. */
final class ByteReader {

  private final byte[] bytes;
  private final int end;
  private int position;

  /** Reads {@code bytes[offset .. offset + length]}. */
  ByteReader(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.position = offset;
    this.end = offset + length;
  }

  int readByte() {
    if (position >= end) {
      throw new IllegalArgumentException("truncated partial aggregate");
    }
    return bytes[position++] & 0xFF;
  }

  long readVarLong() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int next = readByte();
      value |= (long) (next & 0x7F) << shift;
      if ((next & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("malformed partial aggregate");
  }

  long readSignedVarLong() {
    long raw = readVarLong();
    return (raw >>> 1) ^ -(raw & 1);
  }

  double readDouble() {
    long bits = 0;
    for (int k = 0; k < 8; k++) {
      bits = (bits << 8) | readByte();
    }
    return Double.longBitsToDouble(bits);
  }

  byte[] readBytes() {
    long length = readVarLong();
    if (length > end - position) {
      throw new IllegalArgumentException("truncated partial aggregate");
    }
    byte[] value = Arrays.copyOfRange(bytes, position, position + (int) length);
    position += (int) length;
    return value;
  }

  String readString() {
    return new String(readBytes(), StandardCharsets.UTF_8);
  }

  void expectEnd() {
    if (position != end) {
      throw new IllegalArgumentException("trailing bytes after a partial aggregate");
    }
  }
}
