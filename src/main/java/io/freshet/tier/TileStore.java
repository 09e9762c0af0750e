package io.freshet.tier;

import io.freshet.model.TierKey;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The warm tier's tiles of event views: per (view, entity) a marker and groups of tiles, each a
 * Redis hash of encoded partials, all under the entity's hash tag (one slot). What a tile holds is
 * the caller's (the {@code tiles} package merges them); this store keeps them consistent:
 *
 * <ul>
 *   <li>a write is a compare-and-set on the marker's generation, so two writers of one entity never
 *       merge into the same old tiles, and it adds to tiles only while they are built;
 *   <li>an install (a rebuild from Postgres) replaces every group whole, and only if no write moved
 *       the generation since the rebuild read it;
 *   <li>a repair drops the marker ({@link WarmTier}), after which the tiles are not built until the
 *       next install.
 * </ul>
 */
public interface TileStore {

  static TileStore create(
      RedisNodes redis, String keyPrefix, Duration timeout, RepairLog repairs, WarmTier warm) {
    return new RedisTileStore(redis, keyPrefix, timeout, repairs, warm);
  }

  /** The fields of each group a read wants, by group name. */
  record Query(TierKey entity, Map<String, List<String>> fields) {}

  /**
   * What a read found: the marker's generation ({@code ""} for none), whether the tiles are built,
   * and per group the values of the asked fields, aligned with them (null where absent).
   */
  record Found(String generation, boolean built, Map<String, List<byte[]>> values) {}

  /** One group's new fields, and how long the group lives from now. */
  record Group(long ttlMs, List<String> fields, List<byte[]> values) {}

  /**
   * Tiles of one entity to set, if the marker still has {@code generation}; the marker then lives
   * {@code markerTtlMs} from now.
   */
  record Change(TierKey entity, String generation, Map<String, Group> groups, long markerTtlMs) {}

  /** Whether Redis can be used now (the warm tier is up). */
  boolean isUp();

  /** Reads markers and tiles, one pipelined round trip for all of them. */
  Future<List<Found>> read(List<Query> queries);

  /**
   * Sets the merged tiles of the batch of repair {@code ticket}; answers per change whether it
   * applied (the generation had not moved). Tiles rebuilt from a snapshot that held the batch take
   * nothing.
   */
  Future<List<Boolean>> update(List<Change> changes, long ticket);

  /**
   * Replaces an entity's groups with rebuilt ones; false when a write came in between. {@code
   * counted}: the repair tickets of batches the rebuild counted that were still unsettled, whose
   * writers may yet try to add them.
   */
  Future<Boolean> install(Change rebuilt, List<Long> counted);

  /**
   * Drops entities' markers: their tiles are not built until a rebuild installs them again. For a
   * writer that could not merge its events into them.
   */
  Future<Void> drop(List<TierKey> entities);

  /** A committed event batch's tiles are all in Redis: its repair-log entry can go. */
  void settle(long ticket);
}
