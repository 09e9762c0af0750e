package io.freshet.pit;

/**
 * Dense ids for int64 entity keys in an open-addressing table of primitives: a million label rows
 * look their key up without boxing a Long or walking a bucket chain.
 */
final class LongIds {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private long[] keys = new long[1024];
  // id + 1 per slot, so that 0 marks an empty one.
  private int[] ids = new int[1024];
  private int size;

  /** The id of {@code key}, or {@code next} (which the caller then owns) if it is new. */
  int idOf(long key, int next) {
    int mask = keys.length - 1;
    int slot = slot(key, mask);
    while (ids[slot] != 0) {
      if (keys[slot] == key) {
        return ids[slot] - 1;
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    ids[slot] = next + 1;
    if (++size * 2 > keys.length) {
      grow();
    }
    return next;
  }

  private static int slot(long key, int mask) {
    return (int) ((key * GOLDEN) >>> 32) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldIds = ids;
    keys = new long[oldKeys.length * 2];
    ids = new int[oldIds.length * 2];
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldIds[i] != 0) {
        int slot = slot(oldKeys[i], mask);
        while (ids[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        ids[slot] = oldIds[i];
      }
    }
  }
}
