package io.freshet.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.http.Responses;
import io.freshet.model.Timestamps;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

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
        () -> {
          String view = ctx.pathParam("view");
          ingest.view(view);
          List<JsonNode> rows =
              IngestBody.rows(ctx.request().getHeader("content-type"), ctx.body().buffer());
          String key = IngestBody.idempotencyKey(ctx.request().getHeader("Idempotency-Key"));
          return ingest
              .ingest(
                  view,
                  rows,
                  key,
                  key == null ? null : IngestBody.sha256(view, ctx.body().buffer()))
              .map(
                  accepted ->
                      new JsonObject()
                          .put("accepted", accepted.rows())
                          .put("ingested_at", Timestamps.format(accepted.ingestedMicros()))
                          .toBuffer());
        });
  }
}
