package io.freshet.tier;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The history's partitions, one per calendar month of event time (UTC), named {@code
 * feature_history_YYYY_MM}. Freshet creates them itself: a few months ahead, and the month of any
 * event that has none yet before the event is written, so a backfill of old history never fails for
 * want of one. Retention drops whole months.
 */
public interface HistoryPartitions {

  /** How many months after the current one always have their partition. */
  int MONTHS_AHEAD = 3;

  /** How often retention looks for months to drop. */
  Duration RETENTION_EVERY = Duration.ofHours(1);

  /**
   * {@code retention}: how long each view's history is kept; a view that is not named keeps its
   * history for ever.
   */
  static HistoryPartitions create(Pool pool, Map<String, Duration> retention) {
    return new PgHistoryPartitions(pool, retention);
  }

  /** The partitions of the event views' history, {@code event_history_YYYY_MM}, kept alike. */
  static HistoryPartitions forEvents(Pool pool, Map<String, Duration> retention) {
    return new PgHistoryPartitions(pool, "event_history", retention);
  }

  /** Reads which months have a partition; once at start, and again when a write found one gone. */
  Future<Void> load();

  /** Creates the partitions of the months these events fall in that have none yet. */
  Future<Void> cover(long[] eventMicros);

  /**
   * Creates the partitions of the current month and {@link #MONTHS_AHEAD} more, and drops expired
   * months when {@link #RETENTION_EVERY} has passed since the last look. Called by the health
   * timer; cheap when there is nothing to do.
   */
  Future<Void> maintain(long nowMicros);

  /**
   * Drops each partition whose every view is past its retention at {@code nowMicros}: one holding a
   * view without retention, or one a view still needs, is kept. Answers the partitions dropped.
   */
  Future<List<String>> dropExpired(long nowMicros);

  /** The partitions this instance knows, oldest first. */
  List<String> names();
}
