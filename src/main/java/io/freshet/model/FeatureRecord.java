package io.freshet.model;

import io.vertx.core.json.JsonObject;

/**
 * The stored form of one row of a view for one entity: both timestamps and the feature values as
 * JSON text, the form every tier stores and the change feed carries, encoded once when the record
 * is made. Records are ordered by ({@code eventMicros}, {@code ingestedMicros}); the greater one
 * wins in every tier.
 *
 * <p>Reads want values by position: {@link #values(RecordShape)} decodes the text once per shape
 * and keeps the array, so a record held by the hot tier is decoded once however often it is read.
 */
public final class FeatureRecord {

  private final long eventMicros;
  private final long ingestedMicros;
  private final String json;
  private volatile Decoded decoded;

  private record Decoded(RecordShape shape, Object[] values) {}

  public FeatureRecord(long eventMicros, long ingestedMicros, JsonObject values) {
    this(eventMicros, ingestedMicros, values.encode());
  }

  private FeatureRecord(long eventMicros, long ingestedMicros, String json) {
    this.eventMicros = eventMicros;
    this.ingestedMicros = ingestedMicros;
    this.json = json;
  }

  /** A record from its stored text: a JSON object of feature values by name. */
  public static FeatureRecord ofJson(long eventMicros, long ingestedMicros, String json) {
    return new FeatureRecord(eventMicros, ingestedMicros, json);
  }

  public long eventMicros() {
    return eventMicros;
  }

  public long ingestedMicros() {
    return ingestedMicros;
  }

  /** The values as stored: a JSON object by feature name. */
  public String json() {
    return json;
  }

  /**
   * The values by the shape's positions, typed; the array is shared by every caller, which must not
   * change it.
   */
  public Object[] values(RecordShape shape) {
    Decoded held = decoded;
    if (held != null && held.shape() == shape) {
      return held.values();
    }
    Object[] values = shape.decode(json);
    decoded = new Decoded(shape, values);
    return values;
  }

  public boolean isNewerThan(FeatureRecord other) {
    return other == null
        || eventMicros > other.eventMicros
        || (eventMicros == other.eventMicros && ingestedMicros > other.ingestedMicros);
  }
}
