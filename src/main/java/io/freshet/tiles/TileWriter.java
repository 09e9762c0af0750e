package io.freshet.tiles;

import io.freshet.model.TierKey;
import io.freshet.tier.TileStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds a committed batch's events to their entities' tiles in Redis: one pipelined read of the
 * tiles the batch touches, the merges here (the aggregation code, the only arithmetic there is),
 * then one compare-and-set per entity. An entity whose tiles another writer changed meanwhile is
 * merged again from what is there now. Entities whose tiles are not built get none (a rebuild
 * counts their events from Postgres). Only when every entity is done is the batch's repair-log
 * entry settled; otherwise it stays, and a repair drops those entities' tiles.
 */
public final class TileWriter {

  private static final int ATTEMPTS = 8;

  private final TileStore store;

  public TileWriter(TileStore store) {
    this.store = store;
  }

  /** {@code events[i]} belongs to {@code entityKeys[i]}. */
  public Future<Void> write(
      long ticket,
      ViewTiles view,
      List<String> entityKeys,
      List<TileEvent> events,
      long nowMicros) {
    Map<TierKey, EntityTiles> deltas = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      deltas
          .computeIfAbsent(new TierKey(view.name(), entityKeys.get(i)), k -> new EntityTiles(view))
          .add(events.get(i), nowMicros);
    }
    // Events past every window (a backfill) change no tile a read can take.
    deltas.values().removeIf(EntityTiles::isEmpty);
    if (deltas.isEmpty()) {
      store.settle(ticket);
      return Future.succeededFuture();
    }
    return attempt(ticket, view, deltas, nowMicros, 1).onSuccess(done -> store.settle(ticket));
  }

  private Future<Void> attempt(
      long ticket, ViewTiles view, Map<TierKey, EntityTiles> deltas, long nowMicros, int attempt) {
    List<TierKey> entities = new ArrayList<>(deltas.keySet());
    List<TileStore.Query> queries = new ArrayList<>(entities.size());
    for (TierKey entity : entities) {
      queries.add(new TileStore.Query(entity, deltas.get(entity).fields()));
    }
    return store
        .readForUpdate(queries)
        .compose(
            found -> {
              List<TileStore.Change> changes = new ArrayList<>(entities.size());
              for (int i = 0; i < entities.size(); i++) {
                changes.add(
                    merged(
                        view,
                        entities.get(i),
                        deltas.get(entities.get(i)),
                        found.get(i),
                        nowMicros));
              }
              return store.update(changes, ticket);
            })
        .compose(
            applied -> {
              Map<TierKey, EntityTiles> again = new LinkedHashMap<>();
              for (int i = 0; i < entities.size(); i++) {
                if (!applied.get(i)) {
                  again.put(entities.get(i), deltas.get(entities.get(i)));
                }
              }
              if (again.isEmpty()) {
                return Future.succeededFuture();
              }
              if (attempt == ATTEMPTS) {
                return Future.failedFuture(
                    new IllegalStateException(
                        again.size()
                            + " entities' tiles kept changing under "
                            + ATTEMPTS
                            + " merges"));
              }
              return attempt(ticket, view, again, nowMicros, attempt + 1);
            });
  }

  private static TileStore.Change merged(
      ViewTiles view, TierKey entity, EntityTiles delta, TileStore.Found found, long nowMicros) {
    if (!found.built()) {
      return view.change(entity, found.generation(), List.of(), List.of(), nowMicros);
    }
    List<byte[]> values = new ArrayList<>(delta.fields().size());
    int t = 0;
    for (TileVector added : delta.all().values()) {
      byte[] held = found.values().get(t++);
      TileVector tile = held == null ? TileVector.empty(view) : TileVector.decode(view, held);
      tile.merge(added);
      values.add(tile.encode());
    }
    return view.change(entity, found.generation(), delta.fields(), values, nowMicros);
  }
}
