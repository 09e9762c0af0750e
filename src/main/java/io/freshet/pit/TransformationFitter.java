package io.freshet.pit;

import io.freshet.model.ApiException;
import io.freshet.model.Timestamps;
import io.freshet.registry.FeatureRef;
import io.freshet.registry.FeatureServiceDef;
import io.freshet.registry.Registry;
import io.freshet.registry.RegistryVersions;
import io.freshet.registry.ServiceItem;
import io.freshet.registry.TransformationCatalog;
import io.freshet.registry.TransformationDef;
import io.freshet.registry.TransformationVersion;
import io.freshet.tier.PgFailures;
import io.freshet.transform.FittedFunctions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Fits transformations from one training snapshot and nothing else: the parameters come from the
 * statistics of the values that snapshot sent, never from serving traffic or from data that arrived
 * later, and each fit is stored as the transformation's next registry version with its provenance.
 * A feature service's fitted transformations are fitted together, all or none.
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

  /** Fits one transformation; answers its fitted version. */
  public Future<JsonObject> fit(String name, UUID snapshotId) {
    TransformationDef definition = fitted(name);
    return PgFailures.unavailableAsTierDown(
        statistics(snapshotId)
            .map(snapshot -> fitOrRefuse(definition, snapshotId, snapshot))
            .compose(fit -> RegistryVersions.recordFits(pool, List.of(fit)))
            .compose(versions -> catalog.refresh(vertx, pool).map(versions))
            .map(versions -> describe(catalog.version(name, versions.get(0)).orElseThrow())));
  }

  /**
   * Fits every fitted transformation a feature service uses unpinned (a pinned one names a version
   * already fitted) in one transaction: if any cannot be fitted from the snapshot, none is stored
   * and the answer lists every reason.
   */
  public Future<JsonObject> fitService(String serviceName, UUID snapshotId) {
    FeatureServiceDef service =
        registry
            .service(serviceName)
            .orElseThrow(
                () -> ApiException.notFound("unknown feature service '" + serviceName + "'"));
    List<TransformationDef> definitions = new ArrayList<>();
    for (ServiceItem item : service.items()) {
      if (!item.isFeature() && item.pinnedVersion() == 0) {
        registry
            .transformation(item.transformation())
            .filter(TransformationDef::fitted)
            .ifPresent(definitions::add);
      }
    }
    if (definitions.isEmpty()) {
      throw ApiException.badRequest(
          "feature service '"
              + serviceName
              + "' uses no fitted transformation unpinned: there is nothing to fit");
    }
    return PgFailures.unavailableAsTierDown(
        statistics(snapshotId)
            .map(snapshot -> fitAllOrRefuse(serviceName, definitions, snapshotId, snapshot))
            .compose(fits -> RegistryVersions.recordFits(pool, fits))
            .compose(versions -> catalog.refresh(vertx, pool).map(versions))
            .map(versions -> describeAll(serviceName, snapshotId, definitions, versions)));
  }

  private TransformationDef fitted(String name) {
    TransformationDef definition =
        registry
            .transformation(name)
            .orElseThrow(() -> ApiException.notFound("unknown transformation '" + name + "'"));
    if (!definition.fitted()) {
      throw ApiException.badRequest(
          "transformation '" + name + "' has no parameters to fit: only a fitted kind is fitted");
    }
    return definition;
  }

  private Future<SnapshotStore.Statistics> statistics(UUID snapshotId) {
    return snapshots
        .statistics(snapshotId)
        .map(
            found ->
                found.orElseThrow(() -> ApiException.notFound("no snapshot '" + snapshotId + "'")));
  }

  private RegistryVersions.Fit fitOrRefuse(
      TransformationDef definition, UUID snapshotId, SnapshotStore.Statistics snapshot) {
    try {
      return fitFrom(definition, snapshotId, snapshot);
    } catch (CannotFit e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private List<RegistryVersions.Fit> fitAllOrRefuse(
      String serviceName,
      List<TransformationDef> definitions,
      UUID snapshotId,
      SnapshotStore.Statistics snapshot) {
    List<RegistryVersions.Fit> fits = new ArrayList<>();
    JsonArray refused = new JsonArray();
    for (TransformationDef definition : definitions) {
      try {
        fits.add(fitFrom(definition, snapshotId, snapshot));
      } catch (CannotFit e) {
        refused.add(
            new JsonObject()
                .put("transformation", definition.name())
                .put("message", e.getMessage()));
      }
    }
    if (!refused.isEmpty()) {
      throw new ApiException(
          400,
          "bad_request",
          refused.size()
              + " of the "
              + definitions.size()
              + " fitted transformations of '"
              + serviceName
              + "' cannot be fitted from snapshot "
              + snapshotId
              + ", so none was; first: "
              + refused.getJsonObject(0).getString("message"),
          refused);
    }
    return fits;
  }

  /** Why one transformation cannot be fitted from a snapshot; the caller words the refusal. */
  private static final class CannotFit extends Exception {
    CannotFit(String message) {
      super(message, null, false, false);
    }
  }

  private RegistryVersions.Fit fitFrom(
      TransformationDef definition, UUID snapshotId, SnapshotStore.Statistics snapshot)
      throws CannotFit {
    String name = definition.name();
    FeatureRef input = definition.inputs().get(0);
    JsonObject stats = snapshot.byFeature().getJsonObject(input.fullName());
    if (stats == null) {
      throw new CannotFit(
          "snapshot "
              + snapshotId
              + " does not include "
              + input
              + ", the input of '"
              + name
              + "'; take a snapshot whose features include it and fit from that");
    }
    try {
      JsonObject fit =
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
      return new RegistryVersions.Fit(name, catalog.declaration(name).orElseThrow(), fit);
    } catch (FittedFunctions.FitException e) {
      throw new CannotFit(
          "cannot fit '" + name + "' from snapshot " + snapshotId + ": " + e.getMessage());
    }
  }

  private JsonObject describeAll(
      String serviceName,
      UUID snapshotId,
      List<TransformationDef> definitions,
      List<Integer> versions) {
    JsonArray fitted = new JsonArray();
    for (int i = 0; i < definitions.size(); i++) {
      fitted.add(
          describe(catalog.version(definitions.get(i).name(), versions.get(i)).orElseThrow()));
    }
    return new JsonObject()
        .put("feature_service", serviceName)
        .put("snapshot_id", snapshotId.toString())
        .put("transformations", fitted);
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
