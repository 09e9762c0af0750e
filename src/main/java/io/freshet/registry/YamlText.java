package io.freshet.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A schema file's text, bounded in size and strictly UTF-8. A file that is neither is a problem of
 * that file (with the line of the first bad byte), not an I/O failure of the whole load.
 */
final class YamlText {

  /** Far above any real registry's file, far below what would strain the loader. */
  static final long MAX_BYTES = 1L << 20;

  private YamlText() {}

  static Optional<String> read(Path file, String name, Problems problems) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      problems.add(
          name,
          0,
          "the file is "
              + size
              + " bytes; a schema file may hold at most "
              + MAX_BYTES
              + " (split a larger registry into several files)");
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // A UTF-8 sequence of n bytes decodes to at most n UTF-16 units.
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      problems.add(
          name, lineAt(bytes, in.position()), "not valid UTF-8 at byte " + (in.position() + 1));
      return Optional.empty();
    }
    return Optional.of(out.flip().toString());
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
