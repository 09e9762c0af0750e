package io.freshet.pit;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.http.JsonBodies;
import io.freshet.http.Responses;
import io.freshet.model.ApiException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/** {@code POST /v1/transformations/{name}/fit}: fits from one snapshot, stores a version. */
public final class FitHandler {

  private final TransformationFitter fitter;

  public FitHandler(TransformationFitter fitter) {
    this.fitter = fitter;
  }

  public void handle(RoutingContext ctx) {
    Responses.json(
        ctx,
        () -> {
          JsonNode body = JsonBodies.parseObject(ctx.body().buffer());
          JsonBodies.allowOnly(body, Set.of("snapshot_id"));
          JsonNode id = body.get("snapshot_id");
          if (id == null || !id.isTextual()) {
            throw ApiException.badRequest("snapshot_id must be a snapshot's id (a string)");
          }
          UUID snapshotId;
          try {
            snapshotId = UUID.fromString(id.textValue());
          } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no snapshot '" + id.textValue() + "'");
          }
          return fitter.fit(ctx.pathParam("name"), snapshotId).map(JsonObject::toBuffer);
        });
  }
}
