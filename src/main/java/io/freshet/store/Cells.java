package io.freshet.store;

import io.freshet.freshness.FreshnessClassifier;
import io.freshet.freshness.Status;
import io.freshet.registry.FeatureView;
import io.freshet.registry.OnRotten;

/**
 * The one rule that turns a stored record into a served cell at a point in time: the status by age,
 * MISSING beyond ttl, and a nullified value where the view says so. Online reads apply it at the
 * clock's now; point-in-time reads at each row's timestamp.
 */
public final class Cells {

  private Cells() {}

  public static Cell of(Column.Raw column, FeatureRecord record, String tier, long atMicros) {
    if (record == null) {
      return Cell.MISSING;
    }
    FeatureView view = column.view();
    Status status = FreshnessClassifier.classify(view, record.eventMicros(), atMicros);
    if (status == Status.MISSING) {
      return Cell.MISSING;
    }
    long age = FreshnessClassifier.ageMicros(record.eventMicros(), atMicros);
    Object value =
        status == Status.ROTTEN && view.freshness().onRotten() == OnRotten.NULLIFY
            ? null
            : Values.normalize(
                column.feature().type(), record.values().getValue(column.feature().name()));
    return new Cell(value, record.eventMicros(), age, status, tier);
  }
}
