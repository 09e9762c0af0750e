package io.freshet.tier;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The hot tier as the read and write paths use it: only while this instance hears every other
 * instance's writes on the change feed. Until it does, and whenever it stops, the tier is neither
 * read nor filled: a hot entry nobody can invalidate is a stale value waiting to be served.
 */
public final class CoherentHotTier {

  private final HotTier hot;
  private final TileCache tiles;
  private volatile boolean coherent;

  public CoherentHotTier(HotTier hot, TileCache tiles) {
    this.hot = hot;
    this.tiles = tiles;
  }

  /** Event views' tiles held in process: for a caller that checked {@link #coherent}. */
  public TileCache tiles() {
    return tiles;
  }

  /** Whether reads may use the tier now. */
  public boolean coherent() {
    return coherent;
  }

  /**
   * Hits and misses now, aligned with {@code keys}; for a caller that checked {@link #coherent}.
   */
  public List<FeatureRecord> peek(List<TierKey> keys) {
    return hot.peek(keys);
  }

  /** Records a read found below ({@link HotTier#fill}); nothing is kept while not coherent. */
  public void fill(List<TierKey> keys, List<FeatureRecord> records) {
    if (coherent) {
      hot.fill(keys, records);
    }
  }

  /**
   * Of committed records, those Redis held after they were offered (by position): the newest there
   * are, which the tier may serve. Called after {@link #write} with the same records.
   */
  public void fillHeld(List<TierKey> keys, List<FeatureRecord> records, BitSet heldByRedis) {
    if (!coherent || heldByRedis.isEmpty()) {
      return;
    }
    List<TierKey> heldKeys = new ArrayList<>(heldByRedis.cardinality());
    List<FeatureRecord> heldRecords = new ArrayList<>(heldByRedis.cardinality());
    heldByRedis.stream()
        .forEach(
            i -> {
              heldKeys.add(keys.get(i));
              heldRecords.add(records.get(i));
            });
    hot.fill(heldKeys, heldRecords);
  }

  /** Records committed ({@link HotTier#write}); nothing is kept while not coherent. */
  public void write(List<TierKey> keys, List<FeatureRecord> records) {
    if (coherent) {
      hot.write(keys, records);
    }
  }

  public long size() {
    return hot.size();
  }

  public void clear() {
    hot.clear();
    tiles.clear();
  }

  /**
   * Subscribed again: what the tier held may have been superseded meanwhile, so it starts empty.
   */
  void subscribed() {
    hot.clear();
    tiles.clear();
    coherent = true;
  }

  void lost() {
    coherent = false;
    hot.clear();
    tiles.clear();
  }
}
