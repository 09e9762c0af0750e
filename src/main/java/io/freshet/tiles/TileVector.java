package io.freshet.tiles;

import io.freshet.aggregation.Partial;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One tile of one entity: every aggregation's partial over the tile's events, and the newest event
 * time among them (what an aggregation's meta says it counted). Encoded as the newest time, then
 * each partial's bytes with their length; a partial is decoded only when a window asks for it.
 */
final class TileVector {

  private final ViewTiles view;
  private long newest;
  private final Partial[] partials;
  private final byte[][] encoded;

  private TileVector(ViewTiles view, long newest, Partial[] partials, byte[][] encoded) {
    this.view = view;
    this.newest = newest;
    this.partials = partials;
    this.encoded = encoded;
  }

  static TileVector empty(ViewTiles view) {
    Partial[] partials = new Partial[view.size()];
    for (int i = 0; i < partials.length; i++) {
      partials[i] = view.aggregator(i).empty();
    }
    return new TileVector(view, Long.MIN_VALUE, partials, new byte[view.size()][]);
  }

  static TileVector decode(ViewTiles view, byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      long newest = in.readLong();
      int size = in.readInt();
      if (size != view.size()) {
        throw new IllegalArgumentException(
            "a tile of " + view.name() + " holds " + size + " partials, not " + view.size());
      }
      byte[][] encoded = new byte[size][];
      for (int i = 0; i < size; i++) {
        encoded[i] = in.readNBytes(in.readInt());
      }
      return new TileVector(view, newest, new Partial[size], encoded);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long newest() {
    return newest;
  }

  Partial partial(int aggregation) {
    if (partials[aggregation] == null) {
      partials[aggregation] = view.aggregator(aggregation).decode(encoded[aggregation]);
    }
    return partials[aggregation];
  }

  void add(TileEvent event) {
    for (int i = 0; i < partials.length; i++) {
      partial(i)
          .add(view.input(i, event), event.eventMicros(), event.ingestedMicros(), event.sequence());
      encoded[i] = null;
    }
    newest = Math.max(newest, event.eventMicros());
  }

  void merge(TileVector other) {
    for (int i = 0; i < partials.length; i++) {
      partial(i).merge(other.partial(i));
      encoded[i] = null;
    }
    newest = Math.max(newest, other.newest);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 16 * partials.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(newest);
      out.writeInt(partials.length);
      for (int i = 0; i < partials.length; i++) {
        byte[] part = encoded[i] != null ? encoded[i] : partials[i].encode();
        out.writeInt(part.length);
        out.write(part);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
