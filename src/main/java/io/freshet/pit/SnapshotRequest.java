package io.freshet.pit;

import io.freshet.encoding.SnapshotLayout;
import io.freshet.registry.EntityDef;
import io.freshet.selection.FeatureSelection;
import java.util.List;

/**
 * The options of a historical request, resolved: which columns, which join keys every row must
 * carry (in output order), how the rows are written, and the cutoff that makes the snapshot
 * reproducible.
 */
public record SnapshotRequest(
    String featureService,
    FeatureSelection selection,
    List<EntityDef> joinKeys,
    SnapshotLayout layout,
    long cutoffMicros) {

  public SnapshotRequest {
    joinKeys = List.copyOf(joinKeys);
  }
}
