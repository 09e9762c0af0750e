package io.freshet.freshness;

import io.freshet.model.Cell;
import io.freshet.model.CellMeta;
import io.freshet.model.FeatureRecord;
import io.freshet.model.Status;
import io.freshet.registry.FeatureView;
import io.freshet.registry.OnRotten;

/**
 * Every SLA decision about a served value, in one place: its status by age ({@link
 * FreshnessClassifier}), MISSING beyond the view's ttl, a null value where the view nullifies
 * ROTTEN ones, and whether a ROTTEN value refuses the request. Online reads apply it at the clock's
 * now, as-of lookups at their {@code at}, snapshots at each row's timestamp: the same calls on
 * every path, so a value cannot be FRESH for serving and MISSING for training.
 *
 * <p>Every decision depends on the record's event time and the view alone, so a read makes it once
 * per record it serves ({@link #meta}), and each of the record's values follows ({@link #value}).
 */
public final class FreshnessPolicy {

  private FreshnessPolicy() {}

  /** The meta a record of {@code view} with this event time is served with at {@code atMicros}. */
  public static CellMeta meta(FeatureView view, long eventMicros, String tier, long atMicros) {
    Status status = FreshnessClassifier.classify(view, eventMicros, atMicros);
    if (status == Status.MISSING) {
      return CellMeta.MISSING;
    }
    return new CellMeta(
        eventMicros, FreshnessClassifier.ageMicros(eventMicros, atMicros), status, tier);
  }

  /** What a stored value is served as under that meta: null when MISSING or nullified. */
  public static Object value(FeatureView view, CellMeta meta, Object storedValue) {
    return meta.isMissing() || nullifies(view, meta) ? null : storedValue;
  }

  /** The cell one stored value of a record is served as at {@code atMicros}. */
  public static Cell cell(
      FeatureView view, long eventMicros, Object storedValue, String tier, long atMicros) {
    return cell(view, eventMicros, storedValue, tier, atMicros, true);
  }

  /**
   * The same with the view's {@code on_rotten} applied or not: a training row's cell at its own
   * time. Its meta (status, ttl) is always what an online read at that instant would have given;
   * without {@code applyOnRotten} the value is the stored one even when a {@code nullify} view's
   * value is ROTTEN. A {@code reject} view's ROTTEN value is given either way: a training row
   * cannot be refused, and its ROTTEN status says that serving would have refused it.
   */
  public static Cell cell(
      FeatureView view,
      long eventMicros,
      Object storedValue,
      String tier,
      long atMicros,
      boolean applyOnRotten) {
    CellMeta meta = meta(view, eventMicros, tier, atMicros);
    if (meta.isMissing()) {
      return Cell.MISSING;
    }
    return new Cell(applyOnRotten ? value(view, meta, storedValue) : storedValue, meta);
  }

  /**
   * The meta of an aggregation of an event view at {@code atMicros}: its event time is the newest
   * event its window counts ({@link CellMeta#NO_EVENT} for none), its age the view's lag (now less
   * the newest event time the view had received, {@code newestReceivedMicros}), classified by the
   * view's SLA. An empty window is as fresh as its stream; only a view that has received nothing
   * yet ({@code newestReceivedMicros} is {@link CellMeta#NO_EVENT}) is MISSING. Online, the meta
   * says the window it covers, {@code [windowStart, windowEnd)}; a snapshot's says none ({@link
   * CellMeta#NO_WINDOW} for both). One allocation: online reads make one for every aggregation
   * value they serve.
   */
  public static CellMeta windowMeta(
      FeatureView view,
      long newestCountedMicros,
      long newestReceivedMicros,
      String tier,
      long atMicros,
      long windowStart,
      long windowEnd) {
    if (newestReceivedMicros == CellMeta.NO_EVENT) {
      return CellMeta.MISSING;
    }
    long age = FreshnessClassifier.ageMicros(newestReceivedMicros, atMicros);
    return new CellMeta(
        newestCountedMicros,
        age,
        FreshnessClassifier.classifyLag(view, age),
        tier,
        windowStart,
        windowEnd);
  }

  /**
   * The cell of an aggregation's value under {@link #windowMeta}; {@code on_rotten} as in {@link
   * #cell(FeatureView, long, Object, String, long, boolean)}. A MISSING one has no value.
   */
  public static Cell windowCell(
      FeatureView view, CellMeta meta, Object value, boolean applyOnRotten) {
    if (meta.isMissing()) {
      return Cell.MISSING;
    }
    return new Cell(applyOnRotten ? value(view, meta, value) : value, meta);
  }

  /** Whether values served under {@code meta} must be null: the view nullifies ROTTEN ones. */
  public static boolean nullifies(FeatureView view, CellMeta meta) {
    return meta.status() == Status.ROTTEN && view.freshness().onRotten() == OnRotten.NULLIFY;
  }

  /** Whether serving a value of {@code view} under {@code meta} must fail the whole request. */
  public static boolean rejects(FeatureView view, CellMeta meta) {
    return meta.status() == Status.ROTTEN && view.freshness().onRotten() == OnRotten.REJECT;
  }

  /** Whether a record of {@code view} is too old at {@code atMicros} to count at all. */
  public static boolean expired(FeatureView view, FeatureRecord record, long atMicros) {
    return FreshnessClassifier.beyondTtl(view, atMicros - record.eventMicros());
  }
}
