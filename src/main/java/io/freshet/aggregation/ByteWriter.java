package io.freshet.aggregation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of an encoded partial: variable-length integers, raw doubles and length-prefixed bytes.
 */
final class ByteWriter {

  private byte[] bytes = new byte[16];
  private int size;

  void writeByte(int value) {
    ensure(1);
    bytes[size++] = (byte) value;
  }

  void writeVarLong(long value) {
    while ((value & ~0x7FL) != 0) {
      writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    writeByte((int) value);
  }

  void writeSignedVarLong(long value) {
    writeVarLong((value << 1) ^ (value >> 63));
  }

  void writeDouble(double value) {
    long bits = Double.doubleToRawLongBits(value);
    for (int shift = 56; shift >= 0; shift -= 8) {
      writeByte((int) (bits >>> shift));
    }
  }

  void writeBytes(byte[] value) {
    writeVarLong(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, bytes, size, value.length);
    size += value.length;
  }

  void writeString(String value) {
    writeBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
