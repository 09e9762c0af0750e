package io.freshet.freshness;

import io.freshet.model.Status;
import io.freshet.model.Timestamps;
import io.freshet.model.Watermark;
import io.freshet.registry.FeatureView;
import io.freshet.registry.FreshnessSla;
import io.freshet.registry.Registry;
import io.freshet.tier.ViewWatermarks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;

/**
 * Pipeline lag per view: how long since the newest event written to it, classified by the view's
 * SLA like a value. A view can be on time while one entity's value is old; that is the value's age,
 * which every read reports separately.
 */
public final class FreshnessReport {

  private final Registry registry;
  private final ViewWatermarks watermarks;
  private final Clock clock;

  public FreshnessReport(Registry registry, ViewWatermarks watermarks, Clock clock) {
    this.registry = registry;
    this.watermarks = watermarks;
    this.clock = clock;
  }

  /** Milliseconds since the view's newest event, or empty when it has no data. */
  public Optional<Long> lagMs(FeatureView view) {
    long now = Timestamps.nowMicros(clock);
    return watermarks
        .of(view.name())
        .map(w -> FreshnessClassifier.ageMicros(w.lastEventMicros(), now) / 1000);
  }

  /**
   * Like a value's for a records view; an event view's stream is never MISSING once it has events
   * (its windows hold counts of 0), so a stalled one is STALE, then ROTTEN, for good.
   */
  private static Status status(FeatureView view, long lastEventMicros, long nowMicros) {
    return view.isEvents()
        ? FreshnessClassifier.classifyLag(
            view, FreshnessClassifier.ageMicros(lastEventMicros, nowMicros))
        : FreshnessClassifier.classify(view, lastEventMicros, nowMicros);
  }

  public JsonObject toJson() {
    long now = Timestamps.nowMicros(clock);
    JsonArray views = new JsonArray();
    for (FeatureView view : registry.views()) {
      FreshnessSla sla = view.freshness();
      JsonObject entry = new JsonObject().put("view", view.name());
      Optional<Watermark> mark = watermarks.of(view.name());
      if (mark.isPresent()) {
        long event = mark.get().lastEventMicros();
        entry
            .put("last_event_timestamp", Timestamps.format(event))
            .put("last_ingested_at", Timestamps.format(mark.get().lastIngestedMicros()))
            .put("lag_ms", FreshnessClassifier.ageMicros(event, now) / 1000)
            .put("status", status(view, event, now).name());
      } else {
        entry
            .putNull("last_event_timestamp")
            .putNull("last_ingested_at")
            .putNull("lag_ms")
            .put("status", Status.MISSING.name());
      }
      views.add(
          entry.put(
              "sla",
              new JsonObject()
                  .put("fresh_ms", sla.freshMs())
                  .put("stale_ms", sla.staleMs())
                  .put("on_rotten", sla.onRotten().yamlName())));
    }
    return new JsonObject().put("views", views);
  }
}
