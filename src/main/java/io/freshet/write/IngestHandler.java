package io.freshet.write;

import io.freshet.http.Responses;
import io.freshet.model.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/ingest/{view}}: a JSON or NDJSON batch, all or nothing, optionally idempotent.
 */
public final class IngestHandler {

  private final IngestService ingest;

  public IngestHandler(IngestService ingest) {
    this.ingest = ingest;
  }

  public void handle(RoutingContext ctx) {
    Responses.json(
        ctx,
        () ->
            ingest
                .ingest(
                    ctx.pathParam("view"),
                    ctx.request().getHeader("content-type"),
                    ctx.body().buffer(),
                    ctx.request().getHeader("Idempotency-Key"))
                .map(
                    accepted ->
                        new JsonObject()
                            .put("accepted", accepted.rows())
                            .put("ingested_at", Timestamps.format(accepted.ingestedMicros()))
                            .toBuffer()));
  }
}
