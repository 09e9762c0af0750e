package io.freshet.read;

import io.freshet.http.JsonBodies;
import io.freshet.http.Responses;
import io.freshet.registry.MonitoringDef;
import io.freshet.registry.Registry;
import io.freshet.selection.SelectionCache;
import io.freshet.served.ServedRows;
import io.freshet.served.ServedSink;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code POST /v1/features/online}: parse, resolve the columns, read every tier, write; then, for a
 * monitored service, hand the sampled rows to monitoring once the answer is out.
 */
public final class OnlineHandler {

  private final Registry registry;
  private final SelectionCache selections;
  private final OnlineReads reads;
  private final int maxEntities;
  private final ServedSink served;

  public OnlineHandler(
      Registry registry,
      SelectionCache selections,
      OnlineReads reads,
      int maxEntities,
      ServedSink served) {
    this.registry = registry;
    this.selections = selections;
    this.reads = reads;
    this.maxEntities = maxEntities;
    this.served = served;
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
              .map(result -> answer(ctx, request, result));
        });
  }

  private Buffer answer(RoutingContext ctx, OnlineRequest request, OnlineResult result) {
    Buffer body = OnlineResponseWriter.write(result, request.metaFull(), request.byColumn());
    String service = request.columns().service();
    Optional<MonitoringDef> watch = service == null ? Optional.empty() : served.watching(service);
    if (watch.isPresent()) {
      // Queued behind this task, which ends by writing the response: sampling never delays it.
      ctx.vertx()
          .runOnContext(
              v -> {
                ServedRows rows = ServedSampling.sample(service, watch.get(), result);
                if (rows != null) {
                  served.served(rows);
                }
              });
    }
    return body;
  }
}
