package io.freshet.monitoring;

import io.freshet.config.MonitoringOptions;
import io.freshet.metrics.MonitoringMetrics;
import io.freshet.model.ApiException;
import io.freshet.model.Timestamps;
import io.freshet.registry.FeatureServiceDef;
import io.freshet.registry.MonitoringDef;
import io.freshet.registry.Registry;
import io.freshet.served.Replayer;
import io.freshet.served.ServedRows;
import io.freshet.served.ServedSink;
import io.freshet.served.SnapshotProfiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The monitoring of this instance's feature services: it takes the rows online reads sampled,
 * counts them against each service's baseline and queues replays; it flushes the counts to Redis
 * and reloads the baselines (another instance may have set one) on a timer, and computes drift for
 * the API and the gauges.
 */
public final class Monitor implements ServedSink {

  private static final System.Logger LOG = System.getLogger(Monitor.class.getName());
  private static final long GAUGE_INTERVAL_MS = 60_000;

  private final Vertx vertx;
  private final Registry registry;
  private final SnapshotProfiles snapshots;
  private final Baselines baselines;
  private final ProductionCounts counts;
  private final SkewReplay skew;
  private final MonitoringMetrics metrics;
  private final Clock clock;
  private final MonitoringOptions options;
  private final long keepMs;
  private long flushTimer = -1;
  private long gaugeTimer = -1;

  private Monitor(
      Vertx vertx,
      Registry registry,
      SnapshotProfiles snapshots,
      Baselines baselines,
      ProductionCounts counts,
      SkewReplay skew,
      MonitoringMetrics metrics,
      Clock clock,
      MonitoringOptions options,
      long keepMs) {
    this.vertx = vertx;
    this.registry = registry;
    this.snapshots = snapshots;
    this.baselines = baselines;
    this.counts = counts;
    this.skew = skew;
    this.metrics = metrics;
    this.clock = clock;
    this.options = options;
    this.keepMs = keepMs;
  }

  /** What a monitor is built from: the clients, the registry and the point-in-time contracts. */
  public record Parts(
      Vertx vertx,
      Pool pool,
      Redis redis,
      String redisKeyPrefix,
      Duration redisTimeout,
      Registry registry,
      SnapshotProfiles snapshots,
      Replayer replayer,
      MonitoringMetrics metrics,
      Clock clock,
      MonitoringOptions options) {}

  public static Monitor create(Parts parts) {
    long keepMs = retentionMs(parts.registry());
    // A bucket outlives the longest window by the minute being counted and one flush.
    Duration keep = Duration.ofMillis(keepMs + 2 * ProductionCounts.MINUTE_MICROS / 1000);
    return new Monitor(
        parts.vertx(),
        parts.registry(),
        parts.snapshots(),
        new Baselines(parts.pool()),
        new ProductionCounts(
            CountStore.create(parts.redis(), parts.redisKeyPrefix(), parts.redisTimeout()), keep),
        new SkewReplay(parts.replayer(), parts.metrics(), parts.options().skewQueue()),
        parts.metrics(),
        parts.clock(),
        parts.options(),
        keepMs);
  }

  /** How long counts are kept: the longest window of any monitored service. */
  private static long retentionMs(Registry registry) {
    long longest = MonitoringDef.DEFAULT_WINDOW_MS;
    for (FeatureServiceDef service : registry.schemas().services()) {
      if (service.monitoring() != null) {
        longest = Math.max(longest, service.monitoring().windowMs());
      }
    }
    return longest;
  }

  long retentionMs() {
    return keepMs;
  }

  /** Loads the baselines and starts the flush and gauge timers. */
  public Future<Void> start() {
    return reload()
        .map(
            loaded -> {
              flushTimer = vertx.setPeriodic(options.flushInterval().toMillis(), id -> tick());
              gaugeTimer = vertx.setPeriodic(GAUGE_INTERVAL_MS, id -> refreshGauges());
              return null;
            });
  }

  private void tick() {
    flush().onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "drift counts not flushed", e));
    reload().onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "baselines not reloaded", e));
  }

  /** Sends this instance's counts to Redis now; tests call it instead of waiting for the timer. */
  public Future<Void> flush() {
    return counts.flush(Timestamps.nowMicros(clock));
  }

  /** Stops the timers, then flushes what is left; a Redis that is down loses it. */
  public Future<Void> close() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(gaugeTimer);
    return flush().recover(e -> Future.succeededFuture());
  }

  @Override
  public Optional<MonitoringDef> watching(String service) {
    return registry.service(service).flatMap(FeatureServiceDef::monitored);
  }

  @Override
  public void served(ServedRows rows) {
    counts.count(rows);
    if (!rows.replayed().isEmpty()) {
      skew.offer(rows);
    }
  }

  /** Every stored baseline of a service this registry knows, its profile read once per snapshot. */
  private Future<Void> reload() {
    return baselines
        .all()
        .compose(
            all -> {
              List<Future<LoadedBaseline>> loading = new ArrayList<>();
              for (Baseline baseline : all) {
                if (registry.service(baseline.service()).isPresent()) {
                  loading.add(loaded(baseline));
                }
              }
              return Future.all(loading).mapEmpty();
            });
  }

  /** The baseline with its bins, from memory when it is the one already loaded. */
  private Future<LoadedBaseline> loaded(Baseline baseline) {
    LoadedBaseline held = counts.baseline(baseline.service());
    if (held != null && held.baseline().snapshotId().equals(baseline.snapshotId())) {
      return Future.succeededFuture(held);
    }
    return snapshots
        .profile(baseline.snapshotId())
        .map(
            profile -> {
              SnapshotProfiles.Profile found =
                  profile
                      .filter(p -> p.profile() != null)
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "baseline snapshot "
                                      + baseline.snapshotId()
                                      + " has no profile"));
              LoadedBaseline loaded = LoadedBaseline.of(baseline, found.profile());
              counts.baseline(loaded);
              return loaded;
            });
  }

  private void refreshGauges() {
    for (FeatureServiceDef service : registry.schemas().services()) {
      if (service.monitoring() != null) {
        drift(service.name(), service.monitoring().windowMs())
            .onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "drift gauges not refreshed", e));
      }
    }
  }

  FeatureServiceDef service(String name) {
    return registry
        .service(name)
        .orElseThrow(() -> ApiException.notFound("unknown feature service '" + name + "'"));
  }

  static MonitoringDef watch(FeatureServiceDef service) {
    return service.monitored().orElse(MonitoringDef.DEFAULTS);
  }

  /** Makes a snapshot the service's baseline, for every instance. */
  Future<JsonObject> putBaseline(String name, UUID snapshotId) {
    FeatureServiceDef service = service(name);
    return snapshots
        .profile(snapshotId)
        .map(found -> checkedProfile(snapshotId, found, service.name()))
        .compose(
            profile ->
                baselines.put(
                    new Baseline(
                        service.name(),
                        snapshotId,
                        profile.rowCount(),
                        profile.sha256(),
                        profile.cutoffMicros(),
                        Timestamps.nowMicros(clock))))
        .compose(this::loaded)
        .map(loaded -> loaded.baseline().toJson());
  }

  private static SnapshotProfiles.Profile checkedProfile(
      UUID id, Optional<SnapshotProfiles.Profile> found, String service) {
    SnapshotProfiles.Profile profile =
        found.orElseThrow(() -> ApiException.notFound("no snapshot '" + id + "'"));
    if (service != null && !service.equals(profile.featureService())) {
      throw ApiException.badRequest(
          "snapshot "
              + id
              + (profile.featureService() == null
                  ? " was taken with a list of features"
                  : " is of feature service '" + profile.featureService() + "'")
              + ", not of '"
              + service
              + "': a baseline must be a snapshot of the service it watches");
    }
    return withProfile(id, profile);
  }

  static SnapshotProfiles.Profile withProfile(UUID id, SnapshotProfiles.Profile profile) {
    if (profile.profile() == null) {
      throw ApiException.badRequest(
          "snapshot "
              + id
              + " has no profile (it was taken before profiles existed): take it again");
    }
    return profile;
  }

  /** The service's drift over the last {@code windowMs}, and the gauges set to it. */
  Future<JsonObject> drift(String name, long windowMs) {
    FeatureServiceDef service = service(name);
    if (windowMs < MonitoringDef.MIN_WINDOW_MS) {
      throw ApiException.badRequest("window must be at least 1m, not " + windowMs + "ms");
    }
    if (windowMs > keepMs) {
      throw ApiException.badRequest(
          "window "
              + windowMs
              + "ms is longer than counts are kept ("
              + keepMs
              + "ms, the longest window of any monitored service)");
    }
    long now = Timestamps.nowMicros(clock);
    long minutes = (windowMs + MonitoringDef.MIN_WINDOW_MS - 1) / MonitoringDef.MIN_WINDOW_MS;
    MonitoringDef watch = watch(service);
    return baselines
        .get(service.name())
        .compose(
            baseline -> {
              if (baseline.isEmpty()) {
                metrics.driftStatus(service.name(), DriftStatus.NO_BASELINE.gauge);
                return Future.succeededFuture(DriftReport.noBaseline(service.name(), windowMs));
              }
              return loaded(baseline.get())
                  .compose(
                      loaded ->
                          counts
                              .window(loaded, minutes, now)
                              .map(window -> report(service, watch, loaded, windowMs, window)));
            });
  }

  private JsonObject report(
      FeatureServiceDef service,
      MonitoringDef watch,
      LoadedBaseline loaded,
      long windowMs,
      ProductionCounts.Window window) {
    Set<String> columns = new HashSet<>();
    service.items().forEach(item -> columns.add(item.columnName()));
    List<DriftReport.Observed> observed = new ArrayList<>();
    loaded
        .bins()
        .forEach(
            (name, bins) -> {
              if (columns.contains(name)) {
                observed.add(
                    new DriftReport.Observed(
                        bins, window.bins().get(name), window.nulls().get(name), window.rows()));
              }
            });
    return DriftReport.build(
            service.name(),
            loaded.baseline().toJson(),
            windowMs,
            window.rows(),
            watch,
            observed,
            metrics)
        .put("window_complete", window.complete());
  }

  /** Two snapshots' profiles compared, the first as the baseline. */
  Future<JsonObject> compare(UUID baselineId, UUID currentId) {
    return snapshots
        .profile(baselineId)
        .map(found -> withProfile(baselineId, found.orElseThrow(() -> noSnapshot(baselineId))))
        .compose(
            baseline ->
                snapshots
                    .profile(currentId)
                    .map(
                        found ->
                            compare(
                                baseline,
                                withProfile(
                                    currentId, found.orElseThrow(() -> noSnapshot(currentId))))));
  }

  private static ApiException noSnapshot(UUID id) {
    return ApiException.notFound("no snapshot '" + id + "'");
  }

  private JsonObject compare(SnapshotProfiles.Profile baseline, SnapshotProfiles.Profile current) {
    MonitoringDef watch =
        baseline.featureService() == null
            ? MonitoringDef.DEFAULTS
            : registry
                .service(baseline.featureService())
                .map(Monitor::watch)
                .orElse(MonitoringDef.DEFAULTS);
    LoadedBaseline bins = LoadedBaseline.of(null, baseline.profile());
    List<DriftReport.Observed> observed = new ArrayList<>();
    for (Object item : current.profile().getJsonArray("columns")) {
      JsonObject column = (JsonObject) item;
      FeatureBins feature = bins.bins().get(column.getString("name"));
      if (feature != null && feature.numeric() == column.containsKey("edges")) {
        double nulls = column.getLong("nulls");
        double rows = column.getLong("count") + nulls;
        observed.add(
            new DriftReport.Observed(
                feature,
                feature.countsOf(column, current.sketches().getString(feature.name())),
                nulls,
                rows));
      }
    }
    JsonObject described =
        new JsonObject()
            .put("snapshot_id", baseline.id().toString())
            .put("row_count", baseline.rowCount())
            .put("snapshot_sha256", baseline.sha256())
            .put("snapshot_cutoff", Timestamps.format(baseline.cutoffMicros()));
    return DriftReport.build(
            baseline.featureService(), described, null, current.rowCount(), watch, observed, null)
        .put(
            "current",
            new JsonObject()
                .put("snapshot_id", current.id().toString())
                .put("row_count", current.rowCount())
                .put("snapshot_sha256", current.sha256())
                .put("snapshot_cutoff", Timestamps.format(current.cutoffMicros())));
  }

  JsonObject skew(String name) {
    return skew.report(service(name).name());
  }

  /** The service's current baseline, or 404 when it has none. */
  Future<JsonObject> baseline(String name) {
    FeatureServiceDef service = service(name);
    return baselines
        .get(service.name())
        .map(
            found ->
                found
                    .orElseThrow(
                        () ->
                            ApiException.notFound(
                                "feature service '" + service.name() + "' has no baseline"))
                    .toJson());
  }
}
