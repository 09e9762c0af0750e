package io.freshet.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.freshet.registry.FeatureView;
import io.freshet.registry.SchemaLoader;
import io.freshet.testing.FreshetFixture;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tile's bytes: decoded in place (a partial is read where it lies, not copied out), encoded back
 * byte for byte when nothing changed, and refused with a clear error when cut short or from a view
 * of another shape.
 */
class TileVectorTest {

  private static ViewTiles view;

  @BeforeAll
  static void load() throws Exception {
    FeatureView events =
        SchemaLoader.load(FreshetFixture.EVENT_SCHEMAS).views().stream()
            .filter(v -> v.name().equals("card_transactions"))
            .findFirst()
            .orElseThrow();
    view = new ViewTiles(events);
  }

  /** Two events: amount, merchant category and quantity, one amount missing. */
  private static TileVector tile() {
    TileVector tile = TileVector.empty(view);
    tile.add(new TileEvent(1_000L, 2_000L, 0, new Object[] {12.5, "grocery", 3L}));
    tile.add(new TileEvent(5_000L, 6_000L, 1, new Object[] {null, "fuel", 7L}));
    return tile;
  }

  @Test
  void aDecodedTileEncodesToTheSameBytesAndHoldsTheSameValues() {
    TileVector original = tile();
    byte[] bytes = original.encode();
    TileVector decoded = TileVector.decode(view, bytes);
    assertEquals(5_000L, decoded.newest());
    for (int i = 0; i < view.size(); i++) {
      assertEquals(original.partial(i).value(), decoded.partial(i).value(), "aggregation " + i);
    }
    assertArrayEquals(bytes, decoded.encode());
    assertArrayEquals(bytes, TileVector.decode(view, bytes).encode(), "nothing decoded at all");
  }

  @Test
  void aTileChangedAfterDecodingEncodesTheChange() {
    TileVector decoded = TileVector.decode(view, tile().encode());
    decoded.merge(tile());
    TileVector twice = tile();
    twice.merge(tile());
    assertArrayEquals(twice.encode(), decoded.encode());
  }

  @Test
  void aTileCutShortOrOfAnotherShapeIsRefused() {
    byte[] bytes = tile().encode();
    for (int length : new int[] {0, 11, 12, 14, bytes.length - 1}) {
      byte[] cut = Arrays.copyOf(bytes, length);
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> TileVector.decode(view, cut));
      assertEquals("a tile of card_transactions is truncated", refused.getMessage());
    }
    byte[] otherShape = bytes.clone();
    otherShape[Long.BYTES + Integer.BYTES - 1]++;
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> TileVector.decode(view, otherShape));
    assertEquals(
        "a tile of card_transactions holds " + (view.size() + 1) + " partials, not " + view.size(),
        refused.getMessage());
  }
}
