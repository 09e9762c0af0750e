package io.freshet.tier;

import io.freshet.model.TierKey;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * The warm tier's tiles of event views: per (view, entity) one Redis hash, under the entity's hash
 * tag, of its state (generation, whether it is built, what was trimmed and counted, one field) and
 * its tiles' encoded partials by field name. What a tile holds is the caller's (the {@code tiles}
 * package merges them); this store keeps them consistent:
 *
 * <ul>
 *   <li>a write is a compare-and-set on the generation, so two writers of one entity never merge
 *       into the same old tiles, and it adds to tiles only while they are built;
 *   <li>an install (a rebuild from Postgres) replaces the hash whole, and only if no write moved
 *       the generation since the rebuild read it;
 *   <li>a repair drops the hash ({@link WarmTier}), after which the tiles are not built until the
 *       next install.
 * </ul>
 */
public interface TileStore {

  static TileStore create(
      RedisNodes redis, String keyPrefix, Duration timeout, RepairLog repairs, WarmTier warm) {
    return new RedisTileStore(redis, keyPrefix, timeout, repairs, warm);
  }

  /** The tiles of one entity a read wants, by field name. */
  record Query(TierKey entity, List<String> fields) {}

  /**
   * What a read found: the generation ({@code ""} for none), whether the tiles are built, and the
   * values of the asked fields, aligned with them (null where absent).
   */
  record Found(String generation, boolean built, List<byte[]> values) {}

  /**
   * Tiles of one entity to set, if it still has {@code generation}; the hash then lives {@code
   * ttlMs} from now. Tiles of a level before {@code trimBeforeMinute} (of {@code levels} levels)
   * have left every window and go.
   */
  record Change(
      TierKey entity,
      String generation,
      List<String> fields,
      List<byte[]> values,
      long ttlMs,
      long trimBeforeMinute,
      int levels) {}

  /** Whether Redis can be used now (the warm tier is up). */
  boolean isUp();

  /** Reads entities' tiles, one pipelined round trip for all of them, while the tier is up. */
  Future<List<Found>> read(List<Query> queries);

  /**
   * {@link #read} for a writer about to {@link #update}: also while the warm tier recovers from an
   * outage, as the writes of records do, since the recovery's repair does not see a batch committed
   * after it began and the tiles would otherwise serve without it once the tier is up.
   */
  Future<List<Found>> readForUpdate(List<Query> queries);

  /**
   * Sets the merged tiles of the batch of repair {@code ticket}; answers per change whether it
   * applied (the generation had not moved). Tiles rebuilt from a snapshot that held the batch take
   * nothing.
   */
  Future<List<Boolean>> update(List<Change> changes, long ticket);

  /**
   * The warm tier's {@link WarmTier#epoch() epoch}: a rebuild takes it before it reads the
   * generation, and installs under it.
   */
  long epoch();

  /**
   * Replaces an entity's tiles with rebuilt ones; false when a write came in between, or when the
   * warm tier went down or came back since {@code epoch} (a batch committed during the outage left
   * no trace in Redis, and the repair that ended it dropped the tiles, so the generation cannot
   * tell). {@code counted}: the repair tickets of batches the rebuild counted that were still
   * unsettled, whose writers may yet try to add them.
   */
  Future<Boolean> install(Change rebuilt, List<Long> counted, long epoch);

  /**
   * Drops entities' tiles: they are not built until a rebuild installs them again. For a writer
   * that could not merge its events into them.
   */
  Future<Void> drop(List<TierKey> entities);

  /** A committed event batch's tiles are all in Redis: its repair-log entry can go. */
  void settle(long ticket);
}
