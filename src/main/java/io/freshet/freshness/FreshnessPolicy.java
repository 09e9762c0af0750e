package io.freshet.freshness;

import io.freshet.model.Cell;
import io.freshet.model.FeatureRecord;
import io.freshet.model.Status;
import io.freshet.model.Values;
import io.freshet.registry.FeatureDef;
import io.freshet.registry.FeatureView;
import io.freshet.registry.OnRotten;

/**
 * Every SLA decision about a served value, in one place: its status by age ({@link
 * FreshnessClassifier}), MISSING beyond the view's ttl, a null value where the view nullifies
 * ROTTEN ones, and whether a ROTTEN value refuses the request. Online reads apply it at the clock's
 * now, as-of lookups at their {@code at}, snapshots at each row's timestamp: the same calls on
 * every path, so a value cannot be FRESH for serving and MISSING for training.
 */
public final class FreshnessPolicy {

  private FreshnessPolicy() {}

  /** The cell one feature of {@code record} is served as at {@code atMicros}. */
  public static Cell cell(
      FeatureView view, FeatureDef feature, FeatureRecord record, String tier, long atMicros) {
    if (record == null) {
      return Cell.MISSING;
    }
    return cell(
        view,
        record.eventMicros(),
        Values.normalize(feature.type(), record.values().getValue(feature.name())),
        tier,
        atMicros);
  }

  /**
   * The same rule for a record held as its event time and one feature's stored value, already
   * normalized to the feature's type.
   */
  public static Cell cell(
      FeatureView view, long eventMicros, Object storedValue, String tier, long atMicros) {
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

  /** Whether serving {@code cell} of {@code view} must fail the whole request instead. */
  public static boolean rejects(FeatureView view, Cell cell) {
    return cell.status() == Status.ROTTEN && view.freshness().onRotten() == OnRotten.REJECT;
  }

  /** Whether a record of {@code view} is too old at {@code atMicros} to count at all. */
  public static boolean expired(FeatureView view, FeatureRecord record, long atMicros) {
    return FreshnessClassifier.beyondTtl(view, atMicros - record.eventMicros());
  }
}
