package io.freshet.pit;

import java.util.Optional;

/** How snapshot rows are written. */
public enum OutputFormat {
  JSONL("jsonl", "application/x-ndjson"),
  CSV("csv", "text/csv");

  private final String name;
  private final String contentType;

  OutputFormat(String name, String contentType) {
    this.name = name;
    this.contentType = contentType;
  }

  public static Optional<OutputFormat> parse(String text) {
    for (OutputFormat format : values()) {
      if (format.name.equals(text)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  public String contentType() {
    return contentType;
  }
}
