package io.freshet.tiles;

import io.freshet.aggregation.Partial;
import java.nio.ByteBuffer;

/**
 * One tile of one entity: every aggregation's partial over the tile's events, and the newest event
 * time among them (what an aggregation's meta says it counted). Encoded as the newest time, then
 * each partial's bytes with their length; a partial is decoded only when a window asks for it.
 */
final class TileVector {

  private static final int HEADER = Long.BYTES + Integer.BYTES;

  private final ViewTiles view;
  private long newest;
  private final Partial[] partials;

  /**
   * The bytes the tile was decoded from, and where in them each partial's encoding starts. Kept
   * rather than copied out: a read decodes hundreds of tiles and uses few of their partials, and
   * the copies were most of what it allocated.
   */
  private final byte[] source;

  private final int[] starts;
  private final int[] lengths;

  private TileVector(
      ViewTiles view, long newest, Partial[] partials, byte[] source, int[] starts, int[] lengths) {
    this.view = view;
    this.newest = newest;
    this.partials = partials;
    this.source = source;
    this.starts = starts;
    this.lengths = lengths;
  }

  static TileVector empty(ViewTiles view) {
    Partial[] partials = new Partial[view.size()];
    for (int i = 0; i < partials.length; i++) {
      partials[i] = view.aggregator(i).empty();
    }
    return new TileVector(view, Long.MIN_VALUE, partials, null, null, null);
  }

  static TileVector decode(ViewTiles view, byte[] bytes) {
    if (bytes.length < HEADER) {
      throw new IllegalArgumentException("a tile of " + view.name() + " is truncated");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    long newest = in.getLong();
    int size = in.getInt();
    if (size != view.size()) {
      throw new IllegalArgumentException(
          "a tile of " + view.name() + " holds " + size + " partials, not " + view.size());
    }
    int[] starts = new int[size];
    int[] lengths = new int[size];
    for (int i = 0; i < size; i++) {
      int length = in.remaining() < Integer.BYTES ? -1 : in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("a tile of " + view.name() + " is truncated");
      }
      starts[i] = in.position();
      lengths[i] = length;
      in.position(in.position() + length);
    }
    return new TileVector(view, newest, new Partial[size], bytes, starts, lengths);
  }

  long newest() {
    return newest;
  }

  Partial partial(int aggregation) {
    if (partials[aggregation] == null) {
      partials[aggregation] =
          view.aggregator(aggregation).decode(source, starts[aggregation], lengths[aggregation]);
    }
    return partials[aggregation];
  }

  void add(TileEvent event) {
    for (int i = 0; i < partials.length; i++) {
      partial(i)
          .add(view.input(i, event), event.eventMicros(), event.ingestedMicros(), event.sequence());
    }
    newest = Math.max(newest, event.eventMicros());
  }

  void merge(TileVector other) {
    for (int i = 0; i < partials.length; i++) {
      partial(i).merge(other.partial(i));
    }
    newest = Math.max(newest, other.newest);
  }

  /**
   * Every partial encoded anew: a tile is written only after a merge has changed all of them, so
   * keeping unchanged partials' bytes would save nothing.
   */
  byte[] encode() {
    byte[][] parts = new byte[partials.length][];
    int size = HEADER + Integer.BYTES * partials.length;
    for (int i = 0; i < partials.length; i++) {
      parts[i] = partial(i).encode();
      size += parts[i].length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putLong(newest).putInt(partials.length);
    for (byte[] part : parts) {
      out.putInt(part.length).put(part);
    }
    return out.array();
  }
}
