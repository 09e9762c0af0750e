package io.freshet.ops;

import io.freshet.http.Responses;
import io.freshet.registry.Registry;
import io.freshet.registry.RegistryJson;
import io.freshet.registry.TransformationCatalog;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/registry}: every definition with its version. Encoded once per catalog generation
 * (a fit adds a version), not per request.
 */
public final class RegistryHandler {

  private final Registry registry;
  private final TransformationCatalog catalog;
  private volatile Encoded encoded = new Encoded(-1, null);

  /** The listing as last encoded, with the catalog generation it shows. */
  private record Encoded(long generation, Buffer json) {}

  public RegistryHandler(Registry registry, TransformationCatalog catalog) {
    this.registry = registry;
    this.catalog = catalog;
  }

  public void handle(RoutingContext ctx) {
    Encoded body = encoded;
    long generation = catalog.generation();
    if (body.generation() != generation) {
      body = new Encoded(generation, RegistryJson.toJson(registry, catalog.toJson()).toBuffer());
      encoded = body;
    }
    ctx.response().putHeader("content-type", Responses.JSON).end(body.json());
  }
}
