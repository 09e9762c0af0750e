package io.freshet.pit;

import io.freshet.registry.EntityDef;
import io.freshet.store.FeatureSelection;
import java.util.List;

/**
 * The options of a historical request, resolved: which columns, which join keys every row must
 * carry (in output order), the format and how it writes doubles, and the cutoff that makes the
 * snapshot reproducible.
 */
public record SnapshotRequest(
    String featureService,
    FeatureSelection selection,
    List<EntityDef> joinKeys,
    OutputFormat format,
    NumberFormat numberFormat,
    boolean includeTimestamps,
    long cutoffMicros) {

  public SnapshotRequest {
    joinKeys = List.copyOf(joinKeys);
  }
}
