package io.freshet.tier;

import io.freshet.model.TierKey;

/**
 * Every per-entity Redis key is built here: the deployment's prefix, then the hash tag {@code
 * {<view>:<entityKey>}}. Redis Cluster places a key by its tag alone, so every key of one entity
 * lies in one slot, and a script or batch over them stays on one node. A key added for an entity
 * (beside its record) keeps the tag and adds its part after it.
 *
 * <p>The tag is the text from the key's first {@code {} to the next {@code }}, so a prefix holding
 * a {@code {} would end it before the entity: such a prefix is refused. An entity key holding a
 * {@code }} only ends its tag early; the tag stays the same for all of that entity's keys.
 */
public final class RedisKeys {

  private final String prefix;

  public RedisKeys(String prefix) {
    String problem = prefixProblem(prefix);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.prefix = prefix;
  }

  /** Why a key prefix cannot carry the hash tag, or null when it can. */
  public static String prefixProblem(String prefix) {
    if (prefix.indexOf('{') >= 0) {
      return "FRESHET_REDIS_KEY_PREFIX may not contain '{': Redis Cluster would read the hash tag"
          + " from the prefix, and one entity's keys would no longer share a slot";
    }
    return null;
  }

  /** The key of an entity's newest record in a view. */
  public String record(TierKey key) {
    return record(key.view(), key.entityKey());
  }

  public String record(String view, String entityKey) {
    return prefix + '{' + view + ':' + entityKey + '}';
  }

  /**
   * The key of an event view's tiles of an entity: one hash of its generation, whether it is built,
   * and every tile. A repair drops it. (Not {@code ~tiles}: that was the marker of the layout
   * before, whose keys an upgraded deployment still holds until they expire.)
   */
  public String tiles(TierKey key) {
    return record(key) + "~tileset";
  }

  /** What every key of this deployment starts with: a SCAN pattern's literal part. */
  public String prefix() {
    return prefix;
  }
}
