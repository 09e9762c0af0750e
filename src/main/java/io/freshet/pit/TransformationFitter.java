package io.freshet.pit;

import io.freshet.model.ApiException;
import io.freshet.model.Timestamps;
import io.freshet.registry.FeatureRef;
import io.freshet.registry.Registry;
import io.freshet.registry.RegistryVersions;
import io.freshet.registry.TransformationCatalog;
import io.freshet.registry.TransformationDef;
import io.freshet.registry.TransformationVersion;
import io.freshet.tier.PgFailures;
import io.freshet.transform.FittedFunctions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Fits a transformation from one training snapshot and nothing else: the parameters come from the
 * statistics of the values that snapshot sent, never from serving traffic or from data that arrived
 * later, and the fit is stored as the transformation's next registry version with its provenance.
 */
public final class TransformationFitter {

  private final Vertx vertx;
  private final Pool pool;
  private final Registry registry;
  private final TransformationCatalog catalog;
  private final SnapshotStore snapshots;
  private final Clock clock;

  public TransformationFitter(
      Vertx vertx,
      Pool pool,
      Registry registry,
      TransformationCatalog catalog,
      SnapshotStore snapshots,
      Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.registry = registry;
    this.catalog = catalog;
    this.snapshots = snapshots;
    this.clock = clock;
  }

  public Future<JsonObject> fit(String name, UUID snapshotId) {
    TransformationDef definition =
        registry
            .transformation(name)
            .orElseThrow(() -> ApiException.notFound("unknown transformation '" + name + "'"));
    if (!definition.fitted()) {
      throw ApiException.badRequest(
          "transformation '" + name + "' has no parameters to fit: only a fitted kind is fitted");
    }
    FeatureRef input = definition.inputs().get(0);
    return PgFailures.unavailableAsTierDown(fit(name, snapshotId, definition, input));
  }

  private Future<JsonObject> fit(
      String name, UUID snapshotId, TransformationDef definition, FeatureRef input) {
    return snapshots
        .statistics(snapshotId)
        .compose(
            found -> {
              SnapshotStore.Statistics snapshot =
                  found.orElseThrow(
                      () -> ApiException.notFound("no snapshot '" + snapshotId + "'"));
              JsonObject stats = snapshot.byFeature().getJsonObject(input.fullName());
              if (stats == null) {
                throw ApiException.badRequest(
                    "snapshot "
                        + snapshotId
                        + " does not include "
                        + input
                        + ", the input of '"
                        + name
                        + "'; take a snapshot whose features include it and fit from that");
              }
              JsonObject fit;
              try {
                fit =
                    new JsonObject()
                        .put(
                            "parameters",
                            FittedFunctions.parameters(
                                definition.kind(),
                                new JsonObject(new TreeMap<>(definition.options())),
                                registry
                                    .view(input.view())
                                    .flatMap(v -> v.feature(input.feature()))
                                    .orElseThrow()
                                    .type(),
                                stats))
                        .put("snapshot_id", snapshotId.toString())
                        .put("row_count", snapshot.rowCount())
                        .put("values", stats.getLong("count"))
                        .put("fitted_at", Timestamps.format(Timestamps.nowMicros(clock)));
              } catch (FittedFunctions.FitException e) {
                throw ApiException.badRequest(
                    "cannot fit '"
                        + name
                        + "' from snapshot "
                        + snapshotId
                        + ": "
                        + e.getMessage());
              }
              return RegistryVersions.recordFit(
                  pool, name, catalog.declaration(name).orElseThrow(), fit);
            })
        .compose(version -> catalog.refresh(vertx, pool).map(refreshed -> version))
        .map(version -> describe(catalog.version(name, version).orElseThrow()));
  }

  private static JsonObject describe(TransformationVersion version) {
    JsonObject fit = version.fit();
    return new JsonObject()
        .put("name", version.name())
        .put("version", version.version())
        .put("kind", version.kind())
        .put("parameters", fit.getJsonObject("parameters"))
        .put(
            "provenance",
            new JsonObject()
                .put("snapshot_id", fit.getString("snapshot_id"))
                .put("row_count", fit.getLong("row_count"))
                .put("values", fit.getLong("values"))
                .put("fitted_at", fit.getString("fitted_at")));
  }
}
