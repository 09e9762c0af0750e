package io.freshet.tiles;

/**
 * What the hot tier holds for one entity: the windows one fetch built for each stretch of the
 * minute or so after it (the stretches whose window ends fall in the same minutes), so that the
 * entry answers across minute boundaries. It is fetched again, in the background, at an age set by
 * the entity's key: entities' entries would otherwise all stop answering at the same boundary and
 * every next read go below at once.
 */
final class HotWindows {

  /** The share of the horizon that passes before any entity's entry is fetched again. */
  private static final double EARLIEST = 0.5;

  /** The share of the horizon over which entities' fetches are spread. */
  private static final double SPREAD = 0.35;

  private final EntityWindows[] windows;
  private final long fetchedAt;

  /** {@code windows} built at {@code fetchedAt} for consecutive stretches, the first holding it. */
  HotWindows(EntityWindows[] windows, long fetchedAt) {
    this.windows = windows;
    this.fetchedAt = fetchedAt;
  }

  /** The windows that answer at {@code nowMicros}, or null. */
  EntityWindows servingAt(long nowMicros) {
    for (EntityWindows held : windows) {
      if (held.servesAt(nowMicros)) {
        return held;
      }
    }
    return null;
  }

  long fetchedAt() {
    return fetchedAt;
  }

  /**
   * Whether a read of {@code entityKey} at {@code nowMicros} fetches the entry again: once it is
   * past an age between a half and 85% of the horizon, set by the key.
   */
  boolean dueAt(long nowMicros, String entityKey, long horizonMicros) {
    double share = (entityKey.hashCode() * 0x9E3779B9L & 0xFFFFFFFFL) / (double) (1L << 32);
    return nowMicros - fetchedAt >= (long) (horizonMicros * (EARLIEST + SPREAD * share));
  }
}
