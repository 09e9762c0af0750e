package io.freshet.model;

import io.vertx.core.json.JsonObject;

/**
 * The stored form of one row of a view for one entity: both timestamps and the feature values by
 * name. Records are ordered by ({@code eventMicros}, {@code ingestedMicros}); the greater one wins
 * in every tier.
 */
public record FeatureRecord(long eventMicros, long ingestedMicros, JsonObject values) {

  public boolean isNewerThan(FeatureRecord other) {
    return other == null
        || eventMicros > other.eventMicros
        || (eventMicros == other.eventMicros && ingestedMicros > other.ingestedMicros);
  }
}
