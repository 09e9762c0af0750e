package io.freshet.tiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiles of one entity built from its events in memory: a batch's share of them (a writer's delta)
 * or all of them since the longest window began (a rebuild). Tiles past every window are not made.
 */
final class EntityTiles {

  private final ViewTiles view;
  private final Map<TileLadder.Tile, TileVector> tiles = new LinkedHashMap<>();
  private List<String> fields;

  EntityTiles(ViewTiles view) {
    this.view = view;
  }

  static EntityTiles of(ViewTiles view, List<TileEvent> events, long nowMicros) {
    EntityTiles tiles = new EntityTiles(view);
    events.forEach(e -> tiles.add(e, nowMicros));
    return tiles;
  }

  void add(TileEvent event, long nowMicros) {
    for (int level = 0; level < view.levels(); level++) {
      TileLadder.Tile tile = TileLadder.tileOf(level, event.eventMicros());
      if (!view.leftEveryWindow(tile, nowMicros)) {
        tiles.computeIfAbsent(tile, t -> TileVector.empty(view)).add(event);
      }
    }
  }

  boolean isEmpty() {
    return tiles.isEmpty();
  }

  TileVector get(TileLadder.Tile tile) {
    return tiles.get(tile);
  }

  Map<TileLadder.Tile, TileVector> all() {
    return tiles;
  }

  /**
   * The tiles' Redis fields, in the order of {@link #all}, once all are added: a writer asks for
   * them at every attempt, for each of the hundreds of entities a batch may touch.
   */
  List<String> fields() {
    if (fields == null) {
      fields = new ArrayList<>(tiles.size());
      tiles.keySet().forEach(tile -> fields.add(ViewTiles.fieldName(tile)));
    }
    return fields;
  }
}
