package io.freshet.pit;

import io.freshet.encoding.SnapshotLayout;
import io.freshet.registry.EntityDef;
import io.freshet.selection.FeatureSelection;
import java.util.List;

/**
 * The options of a historical request, resolved: which columns, which join keys every row must
 * carry (in output order), how the rows are written, the cutoff that makes the snapshot
 * reproducible, which records a row may see, and whether values are policed as serving would have
 * policed them at the row's time.
 */
public record SnapshotRequest(
    String featureService,
    FeatureSelection selection,
    List<EntityDef> joinKeys,
    SnapshotLayout layout,
    long cutoffMicros,
    AsKnown asKnown,
    boolean applyFreshness) {

  public SnapshotRequest {
    joinKeys = List.copyOf(joinKeys);
  }

  /** The same request once its rows have named their own fields. */
  SnapshotRequest withLabelFields(List<String> fields) {
    return new SnapshotRequest(
        featureService,
        selection,
        joinKeys,
        layout.withLabelFields(fields),
        cutoffMicros,
        asKnown,
        applyFreshness);
  }
}
