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
    return of(
        column,
        record.eventMicros(),
        Values.normalize(
            column.feature().type(), record.values().getValue(column.feature().name())),
        tier,
        atMicros);
  }

  /**
   * The same rule for a record held as its event time and this column's stored value, already
   * normalized to the feature's type.
   */
  public static Cell of(
      Column.Raw column, long eventMicros, Object storedValue, String tier, long atMicros) {
    FeatureView view = column.view();
    Status status = FreshnessClassifier.classify(view, eventMicros, atMicros);
    if (status == Status.MISSING) {
      return Cell.MISSING;
    }
    long age = FreshnessClassifier.ageMicros(eventMicros, atMicros);
    Object value =
        status == Status.ROTTEN && view.freshness().onRotten() == OnRotten.NULLIFY
            ? null
            : storedValue;
    return new Cell(value, eventMicros, age, status, tier);
  }
}
