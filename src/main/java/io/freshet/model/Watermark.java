package io.freshet.model;

/** The newest {@code event_timestamp} and {@code ingested_at} written to one view. */
public record Watermark(String view, long lastEventMicros, long lastIngestedMicros) {

  public Watermark newest(Watermark other) {
    return new Watermark(
        view,
        Math.max(lastEventMicros, other.lastEventMicros),
        Math.max(lastIngestedMicros, other.lastIngestedMicros));
  }
}
