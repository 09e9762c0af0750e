package io.freshet.tiles;

/**
 * What the hot tier holds for one entity: the windows that answer now and, once fetched ahead,
 * those that answer from the instant they stop. Without the second, every entity's windows would
 * stop answering at the same minute boundary and every entity's next read would go below at once;
 * each entity's successor is fetched at its own point of the minute instead ({@link #aheadAt}).
 */
record HotWindows(EntityWindows current, EntityWindows next) {

  /** The share of an interval that passes before any entity's successor is fetched. */
  private static final double EARLIEST = 0.1;

  /** The share of an interval over which entities' fetches are spread. */
  private static final double SPREAD = 0.8;

  /** The windows of these that answer at {@code nowMicros}, or null. */
  EntityWindows servingAt(long nowMicros) {
    if (current.servesAt(nowMicros)) {
      return current;
    }
    return next != null && next.servesAt(nowMicros) ? next : null;
  }

  /** Whether {@code serving}'s successor is held. */
  boolean hasSuccessor(EntityWindows serving) {
    return serving == current && next != null;
  }

  /**
   * The instant from which a read of {@code entityKey} that {@code serving} answers fetches its
   * successor: a point of the interval set by the key, so entities spread their fetches over it.
   */
  static long aheadAt(EntityWindows serving, String entityKey) {
    double share = (entityKey.hashCode() * 0x9E3779B9L & 0xFFFFFFFFL) / (double) (1L << 32);
    long length = serving.until() - serving.from();
    return serving.from() + (long) (length * (EARLIEST + SPREAD * share));
  }

  /**
   * What to hold once {@code built} is fetched, given what is {@code held}: {@code built}, and the
   * held windows that answer right before or right after it, if any.
   */
  static HotWindows with(Object held, EntityWindows built) {
    if (held instanceof HotWindows) {
      HotWindows windows = (HotWindows) held;
      for (EntityWindows other : new EntityWindows[] {windows.current, windows.next}) {
        if (other != null && other.until() == built.from()) {
          return new HotWindows(other, built);
        }
        if (other != null && other.from() == built.until()) {
          return new HotWindows(built, other);
        }
      }
    }
    return new HotWindows(built, null);
  }
}
