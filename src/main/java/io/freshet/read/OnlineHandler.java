package io.freshet.read;

import io.freshet.http.JsonBodies;
import io.freshet.http.Responses;
import io.freshet.registry.Registry;
import io.freshet.selection.SelectionCache;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/features/online}: parse, resolve the columns, read every tier, write. */
public final class OnlineHandler {

  private final Registry registry;
  private final SelectionCache selections;
  private final OnlineReads reads;
  private final int maxEntities;

  public OnlineHandler(
      Registry registry, SelectionCache selections, OnlineReads reads, int maxEntities) {
    this.registry = registry;
    this.selections = selections;
    this.reads = reads;
    this.maxEntities = maxEntities;
  }

  public void handle(RoutingContext ctx) {
    Responses.json(
        ctx,
        () -> {
          OnlineRequest request =
              OnlineRequest.parse(
                  JsonBodies.parseObject(ctx.body().buffer()), registry, maxEntities);
          return reads
              .read(request.columns().resolve(selections), request.entities())
              .map(
                  result ->
                      OnlineResponseWriter.write(result, request.metaFull(), request.byColumn()));
        });
  }
}
