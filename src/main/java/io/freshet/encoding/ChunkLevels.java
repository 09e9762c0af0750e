package io.freshet.encoding;

/**
 * The {@link SampleLevel}s of a chunk's rows, and how many of the rows each sample takes: what a
 * number column's chunk profile sizes its kept values by, so that a column sampling one row in 32
 * holds about 128 values a chunk, not 4,096.
 */
public final class ChunkLevels {

  private final byte[] levels;

  /** {@code atLeast[k]}: the rows of level k or more. */
  private final int[] atLeast;

  private ChunkLevels(byte[] levels, int[] atLeast) {
    this.levels = levels;
    this.atLeast = atLeast;
  }

  /** The levels of snapshot rows {@code firstRow .. firstRow + rows}. */
  public static ChunkLevels of(int firstRow, int rows) {
    byte[] levels = new byte[rows];
    int[] atLeast = new int[Integer.SIZE + 2];
    for (int i = 0; i < rows; i++) {
      levels[i] = SampleLevel.of(firstRow + i);
      atLeast[levels[i]]++;
    }
    for (int k = atLeast.length - 2; k >= 0; k--) {
      atLeast[k] += atLeast[k + 1];
    }
    return new ChunkLevels(levels, atLeast);
  }

  public int rows() {
    return levels.length;
  }

  /** Each row's level, by its index in the chunk. */
  byte[] levels() {
    return levels;
  }

  /** How many rows the sample of {@code level} takes; every row for a level below 0. */
  int taken(int level) {
    return level < 0 ? levels.length : atLeast[Math.min(level, atLeast.length - 1)];
  }
}
