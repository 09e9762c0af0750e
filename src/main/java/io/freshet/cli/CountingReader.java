package io.freshet.cli;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/** A reader that counts what it has read, for a progress bar over a file's size. */
final class CountingReader extends FilterReader {

  private long count;

  CountingReader(Reader in) {
    super(in);
  }

  /** Characters read so far (a file's bytes, for ASCII). */
  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int c = super.read();
    if (c >= 0) {
      count++;
    }
    return c;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count += n;
    }
    return n;
  }
}
