package io.freshet.write;

import io.freshet.model.FeatureRecord;
import io.freshet.model.RecordShape;
import io.freshet.model.TierKey;
import io.freshet.registry.FeatureView;
import io.freshet.registry.Registry;
import io.freshet.tier.RecordBatch;
import io.freshet.tier.Tiers;
import io.freshet.tiles.TileEvent;
import io.freshet.tiles.TileWriter;
import io.freshet.tiles.ViewTiles;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a committed event batch visible: the view's watermark (its lag), its entities' tiles in
 * Redis, then this instance's hot tiles and, through the change feed, every other instance's. The
 * hot tiles are invalidated only once Redis has the events, so no read can fill them from tiles
 * that lack them. A Redis failure does not fail the write: the batch's repair-log entry stays, and
 * a repair drops those entities' tiles, which are rebuilt from Postgres.
 */
final class EventsVisible {

  private static final System.Logger LOG = System.getLogger(EventsVisible.class.getName());

  private final Tiers tiers;
  private final TileWriter writer;
  private final Map<String, ViewTiles> views = new HashMap<>();

  EventsVisible(Tiers tiers, Registry registry) {
    this.tiers = tiers;
    this.writer = new TileWriter(tiers.tiles());
    for (FeatureView view : registry.views()) {
      if (view.isEvents()) {
        views.put(view.name(), new ViewTiles(view));
      }
    }
  }

  Future<Void> after(long ticket, RecordBatch batch) {
    List<TierKey> keys = batch.keys();
    tiers.watermarks().advance(keys, batch.records());
    ViewTiles view = views.get(batch.view());
    RecordShape fields = view.view().fieldShape();
    List<TileEvent> events = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      FeatureRecord record = batch.records().get(i);
      events.add(
          new TileEvent(record.eventMicros(), record.ingestedMicros(), i, record.values(fields)));
    }
    return writer
        .write(ticket, view, batch.entityKeys(), events, batch.ingestedMicros())
        .recover(
            e -> {
              LOG.log(System.Logger.Level.WARNING, "tiles left to repair: " + e.getMessage());
              return Future.succeededFuture();
            })
        .compose(
            written -> {
              tiers.hot().tiles().invalidate(keys);
              return tiers
                  .feed()
                  .announceEvents(batch)
                  .recover(
                      e -> {
                        LOG.log(System.Logger.Level.WARNING, "change not announced: " + e);
                        return Future.succeededFuture();
                      });
            });
  }
}
