package io.freshet.served;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;

/** Stored snapshots' profiles, as monitoring reads them. */
public interface SnapshotProfiles {

  /**
   * A snapshot's provenance and profile: {@code profile} as its manifest shows it (null for a
   * snapshot stored before profiles existed), {@code sketches} its numeric columns' quantile
   * sketches by column name.
   */
  record Profile(
      UUID id,
      String featureService,
      long rowCount,
      String sha256,
      long cutoffMicros,
      JsonObject profile,
      JsonObject sketches) {}

  Future<Optional<Profile>> profile(UUID id);
}
