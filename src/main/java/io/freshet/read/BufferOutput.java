package io.freshet.read;

import io.vertx.core.buffer.Buffer;
import java.io.OutputStream;

/** Lets a JSON generator write straight into the response buffer, with no copy in between. */
final class BufferOutput extends OutputStream {

  private final Buffer buffer;

  BufferOutput(int sizeHint) {
    this.buffer = Buffer.buffer(sizeHint);
  }

  Buffer buffer() {
    return buffer;
  }

  @Override
  public void write(int b) {
    buffer.appendByte((byte) b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    buffer.appendBytes(bytes, offset, length);
  }
}
