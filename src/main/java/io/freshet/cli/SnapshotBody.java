package io.freshet.cli;

import io.freshet.model.Digests;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A snapshot body read as it streams: its SHA-256, its line count and its last line, the three
 * things that say whether it is complete. Each chunk goes on to a sink (a file being written, or a
 * comparison with a file written before).
 */
final class SnapshotBody {

  // Longer than any error line; a longer last line is a row, not an error.
  private static final int MAX_KEPT_LINE = 1 << 16;

  /** Where the bytes go as they are read. */
  interface Sink {
    void accept(byte[] bytes, int length) throws IOException;
  }

  private final MessageDigest digest = Digests.create("SHA-256");
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private byte[] lastLine = new byte[0];
  private long bytes;
  private long lines;
  private String sha256;

  /** Reads the whole body; an IOException is a body cut off, reported by the caller. */
  void read(InputStream in, Sink sink, Progress progress) throws IOException {
    byte[] buffer = new byte[1 << 16];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      digest.update(buffer, 0, n);
      sink.accept(buffer, n);
      bytes += n;
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          lines++;
          lastLine = line.toByteArray();
          line.reset();
        } else if (line.size() < MAX_KEPT_LINE) {
          line.write(buffer[i]);
        }
      }
      progress.update(bytes, lines);
    }
  }

  /** The digest of the whole body; only once it is read (taking it ends the digest). */
  String sha256() {
    if (sha256 == null) {
      sha256 = Digests.hex(digest);
    }
    return sha256;
  }

  long bytes() {
    return bytes;
  }

  long lines() {
    return lines;
  }

  /**
   * The error a failed snapshot ends with, {@code {"error", "message"}} (jsonl) or {@code #error
   * CODE TEXT} (csv); null when the body ends with a row.
   */
  String error() {
    String last = new String(lastLine, StandardCharsets.UTF_8);
    if (last.startsWith("#error ")) {
      return last.substring("#error ".length());
    }
    if (last.startsWith("{\"error\"")) {
      try {
        JsonObject error = new JsonObject(last);
        if (error.size() == 2 && error.containsKey("message")) {
          return error.getString("error") + " " + error.getString("message");
        }
      } catch (RuntimeException e) {
        return null;
      }
    }
    return null;
  }
}
