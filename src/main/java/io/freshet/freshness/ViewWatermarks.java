package io.freshet.freshness;

import io.freshet.tier.Watermark;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each view's pipeline watermark in memory: loaded from Postgres at start, then moved by this
 * instance's writes and by the writes other instances announce. Reading it costs no query, so the
 * lag gauges and {@code /v1/freshness} are cheap.
 */
public final class ViewWatermarks {

  private final Map<String, Watermark> byView = new ConcurrentHashMap<>();

  public void advance(Watermark watermark) {
    byView.merge(watermark.view(), watermark, Watermark::newest);
  }

  public Optional<Watermark> of(String view) {
    return Optional.ofNullable(byView.get(view));
  }
}
