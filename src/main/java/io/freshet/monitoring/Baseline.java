package io.freshet.monitoring;

import io.freshet.model.Timestamps;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A service's baseline with its provenance: which snapshot, its size, digest and cutoff, since
 * when.
 */
record Baseline(
    String service,
    UUID snapshotId,
    long rowCount,
    String snapshotSha256,
    long snapshotCutoffMicros,
    long createdMicros) {

  JsonObject toJson() {
    return new JsonObject()
        .put("service", service)
        .put("snapshot_id", snapshotId.toString())
        .put("row_count", rowCount)
        .put("created_at", Timestamps.format(createdMicros))
        .put("snapshot_sha256", snapshotSha256)
        .put("snapshot_cutoff", Timestamps.format(snapshotCutoffMicros));
  }
}
