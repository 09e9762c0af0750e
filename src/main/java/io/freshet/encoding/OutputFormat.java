package io.freshet.encoding;

import io.freshet.model.EnumNames;
import java.util.Optional;

/** How snapshot rows are written. */
public enum OutputFormat {
  JSONL("application/x-ndjson"),
  CSV("text/csv");

  private final String contentType;

  OutputFormat(String contentType) {
    this.contentType = contentType;
  }

  public static Optional<OutputFormat> parse(String text) {
    return EnumNames.parse(OutputFormat.class, text);
  }

  public String contentType() {
    return contentType;
  }
}
