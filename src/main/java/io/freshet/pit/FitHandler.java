package io.freshet.pit;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.http.JsonBodies;
import io.freshet.http.Responses;
import io.freshet.model.ApiException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/** Fits from one snapshot and stores the fitted versions: of one transformation or a service's. */
public final class FitHandler {

  private final TransformationFitter fitter;

  public FitHandler(TransformationFitter fitter) {
    this.fitter = fitter;
  }

  /** {@code POST /v1/transformations/{name}/fit}. */
  public void handle(RoutingContext ctx) {
    Responses.json(
        ctx, () -> fitter.fit(ctx.pathParam("name"), snapshotId(ctx)).map(JsonObject::toBuffer));
  }

  /** {@code POST /v1/feature_services/{name}/fit}: every fitted transformation it uses. */
  public void service(RoutingContext ctx) {
    Responses.json(
        ctx,
        () -> fitter.fitService(ctx.pathParam("name"), snapshotId(ctx)).map(JsonObject::toBuffer));
  }

  private static UUID snapshotId(RoutingContext ctx) {
    JsonNode body = JsonBodies.parseObject(ctx.body().buffer());
    JsonBodies.allowOnly(body, Set.of("snapshot_id"));
    JsonNode id = body.get("snapshot_id");
    if (id == null || !id.isTextual()) {
      throw ApiException.badRequest("snapshot_id must be a snapshot's id (a string)");
    }
    try {
      return UUID.fromString(id.textValue());
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("no snapshot '" + id.textValue() + "'");
    }
  }
}
