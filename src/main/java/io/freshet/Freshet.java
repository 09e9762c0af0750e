package io.freshet;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshet.config.FreshetOptions;
import io.freshet.freshness.FreshnessReport;
import io.freshet.http.AdmissionControl;
import io.freshet.http.RequestTimer;
import io.freshet.http.ServingPressure;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.metrics.MonitoringMetrics;
import io.freshet.model.Timestamps;
import io.freshet.monitoring.Monitor;
import io.freshet.monitoring.MonitoringHandler;
import io.freshet.ops.FreshnessHandler;
import io.freshet.ops.HealthHandler;
import io.freshet.ops.RegistryHandler;
import io.freshet.pit.AsOfHandler;
import io.freshet.pit.FitHandler;
import io.freshet.pit.HistoricalHandler;
import io.freshet.pit.PointInTimeEngine;
import io.freshet.pit.PointInTimeReplayer;
import io.freshet.pit.SnapshotRequestParser;
import io.freshet.pit.SnapshotStore;
import io.freshet.pit.SnapshotWorkers;
import io.freshet.pit.TransformationFitter;
import io.freshet.read.OnlineHandler;
import io.freshet.read.OnlineReads;
import io.freshet.registry.FeatureView;
import io.freshet.registry.Registry;
import io.freshet.registry.RegistryVersions;
import io.freshet.registry.SchemaLoader;
import io.freshet.registry.SchemaSet;
import io.freshet.registry.TransformationCatalog;
import io.freshet.selection.SelectionCache;
import io.freshet.tier.ChangeFeed;
import io.freshet.tier.CoherentHotTier;
import io.freshet.tier.ColdTier;
import io.freshet.tier.EventHistory;
import io.freshet.tier.HistoryPartitions;
import io.freshet.tier.HotTier;
import io.freshet.tier.PgMigrations;
import io.freshet.tier.RedisNodes;
import io.freshet.tier.RepairLog;
import io.freshet.tier.Tiers;
import io.freshet.tier.TileCache;
import io.freshet.tier.TileStore;
import io.freshet.tier.ViewWatermarks;
import io.freshet.tier.WarmTier;
import io.freshet.tiles.TileReader;
import io.freshet.transform.TransformEngine;
import io.freshet.write.IngestHandler;
import io.freshet.write.IngestService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A running Freshet: the tiers, the registry, the services and the HTTP servers, wired once. Main
 * starts one; tests start several with their own schema, key prefix and clock.
 */
public final class Freshet {

  private final Vertx vertx;
  private final Pool pool;
  private final RedisNodes redis;
  private final Registry registry;
  private final Tiers tiers;
  private final FreshetMetrics metrics;
  private final SnapshotWorkers snapshotWorkers;
  private final Monitor monitor;
  private final long healthTimer;
  private final String deploymentId;
  private final int port;

  private Freshet(Services services, long healthTimer, String deploymentId, int port) {
    this.vertx = services.base().vertx();
    this.pool = services.base().pool();
    this.redis = services.base().redis();
    this.registry = services.base().registry();
    this.tiers = services.tiers();
    this.metrics = services.metrics();
    this.snapshotWorkers = services.snapshotWorkers();
    this.monitor = services.monitor();
    this.healthTimer = healthTimer;
    this.deploymentId = deploymentId;
    this.port = port;
  }

  /** What start-up reads from disk, loaded on a worker thread. */
  private record Loaded(SchemaSet schemas, List<PgMigrations.Migration> migrations) {}

  /** The clients and definitions every service is built on, ready once the registry is. */
  private record Base(
      Vertx vertx,
      FreshetOptions options,
      Clock clock,
      Ticker ticker,
      Pool pool,
      RedisNodes redis,
      TransformationCatalog catalog,
      Registry registry) {}

  /** The tiers, meters and threads a running instance owns and closes. */
  private record Services(
      Base base,
      Tiers tiers,
      FreshetMetrics metrics,
      PrometheusMeterRegistry prometheus,
      ServingPressure pressure,
      SnapshotWorkers snapshotWorkers,
      SnapshotStore snapshots,
      PointInTimeEngine pointInTime,
      Monitor monitor) {}

  public static Future<Freshet> start(
      Vertx vertx, FreshetOptions options, Clock clock, Ticker ticker) {
    return vertx
        .executeBlocking(() -> load(options))
        .compose(loaded -> connect(vertx, options, clock, ticker, loaded));
  }

  private static Loaded load(FreshetOptions options) throws Exception {
    return new Loaded(SchemaLoader.load(options.schemasDir()), PgMigrations.load());
  }

  private static Future<Freshet> connect(
      Vertx vertx, FreshetOptions options, Clock clock, Ticker ticker, Loaded loaded) {
    Pool pool = pgPool(vertx, options);
    RedisNodes redis =
        new RedisNodes(
            vertx, options.redisNodes(), options.redisCluster(), options.eventLoops() * 2 + 8);
    TransformationCatalog catalog = new TransformationCatalog(loaded.schemas());
    // A first connection to each node is slower than a command: ten Redis timeouts for each.
    return redis
        .checkReachable(options.redisTimeout().multipliedBy(10).toMillis())
        .compose(reachable -> PgMigrations.apply(pool, options.pgSchema(), loaded.migrations()))
        .compose(applied -> RegistryVersions.register(pool, loaded.schemas()))
        .compose(registry -> catalog.refresh(vertx, pool).map(registry))
        .map(registry -> new Base(vertx, options, clock, ticker, pool, redis, catalog, registry))
        // Building every service loads and initialises most of Freshet's classes and its meter
        // registry: hundreds of milliseconds, seconds on a busy machine, so not on an event loop.
        .compose(base -> base.vertx().executeBlocking(() -> built(base)))
        .compose(Freshet::serve)
        .onFailure(
            e -> {
              pool.close();
              redis.close();
            });
  }

  /** Every service of an instance and the routes over them, built but not started. */
  private record Built(Services services, Routes routes) {}

  private static Built built(Base base) {
    Services services = services(base);
    return new Built(services, routes(services));
  }

  private static Future<Freshet> serve(Built built) {
    Services services = built.services();
    Routes routes = built.routes();
    Base base = services.base();
    FreshetOptions options = base.options();
    long healthTimer =
        base.vertx().setPeriodic(options.healthInterval().toMillis(), id -> probe(services));
    List<HttpServerVerticle> servers = new ArrayList<>();
    return services
        .tiers()
        .watermarks()
        .load()
        .compose(loaded -> services.tiers().cold().partitions().load())
        .compose(loaded -> services.tiers().cold().eventPartitions().load())
        .compose(
            loaded ->
                services.tiers().cold().partitions().maintain(Timestamps.nowMicros(base.clock())))
        .compose(
            loaded ->
                services
                    .tiers()
                    .cold()
                    .eventPartitions()
                    .maintain(Timestamps.nowMicros(base.clock())))
        .compose(loaded -> services.tiers().warm().check().recover(e -> Future.succeededFuture()))
        .compose(
            checked -> services.tiers().listen(services.metrics(), wallClock(), eventViews(base)))
        .compose(listening -> services.monitor().start())
        .compose(monitoring -> deployServers(base, routes, servers))
        .map(id -> new Freshet(services, healthTimer, id, servers.get(0).actualPort()))
        .onFailure(
            e -> {
              base.vertx().cancelTimer(healthTimer);
              services.monitor().close();
              services.tiers().feed().close();
              services.metrics().close();
              services.snapshotWorkers().close();
            });
  }

  /**
   * The change feed's delivery delay is measured on the wall clock whatever clock the instance
   * judges feature time by: a test's frozen clock would make every delay look negative.
   */
  private static Clock wallClock() {
    return Clock.systemUTC();
  }

  private static Services services(Base base) {
    FreshetOptions options = base.options();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<String> viewNames = new ArrayList<>();
    base.registry().views().forEach(v -> viewNames.add(v.name()));
    FreshetMetrics metrics = new FreshetMetrics(prometheus, viewNames);
    Map<String, Duration> retention = retention(base.registry());
    ColdTier cold =
        ColdTier.create(
            base.pool(),
            HistoryPartitions.create(base.pool(), retention),
            HistoryPartitions.forEvents(base.pool(), retention));
    RepairLog repairs = RepairLog.create(base.pool());
    WarmTier warm =
        WarmTier.create(base.redis(), options.redisKeyPrefix(), options.redisTimeout(), repairs);
    Tiers tiers =
        new Tiers(
            new CoherentHotTier(
                HotTier.create(options.hotMaxEntries(), options.hotMaxLifetime(), base.ticker()),
                new TileCache(options.hotMaxEntries(), options.hotMaxLifetime(), base.ticker())),
            warm,
            cold,
            ChangeFeed.create(
                base.vertx(),
                base.redis(),
                options.redisKeyPrefix(),
                options.redisDatabase(),
                options.feedHeartbeat()),
            new ViewWatermarks(cold),
            TileStore.create(
                base.redis(), options.redisKeyPrefix(), options.redisTimeout(), repairs, warm),
            EventHistory.create(base.pool()));
    // Snapshot joins and encoding get their own threads, below the event loops in priority
    // (FRESHET_SNAPSHOT_THREADS, one per event loop unless set): a large snapshot neither holds
    // up an event loop nor takes the CPU an online read is waiting for. While the loops serving
    // online reads are late, snapshot work is held to its share of the time. The loops' lateness
    // is real time, measured against Vert.x timers, whatever clock the tiers are given.
    ServingPressure pressure = new ServingPressure(System::nanoTime, metrics);
    SnapshotWorkers snapshotWorkers =
        new SnapshotWorkers(
            options.snapshotThreads(), options.snapshotSharePercent(), pressure::pressed);
    FunctionCounter.builder(
            "freshet_snapshot_held_seconds", snapshotWorkers, SnapshotWorkers::heldSeconds)
        .description("Time snapshot work waited while online reads were served late")
        .register(metrics.registry());
    SnapshotStore snapshots = new SnapshotStore(base.pool(), base.registry(), base.catalog());
    PointInTimeEngine pointInTime =
        new PointInTimeEngine(
            tiers.cold(), new TransformEngine(metrics), snapshotWorkers, options.eventLoops());
    Monitor monitor =
        Monitor.create(
            new Monitor.Parts(
                base.vertx(),
                base.pool(),
                base.redis().client(),
                options.redisKeyPrefix(),
                options.redisTimeout(),
                base.registry(),
                snapshots,
                new PointInTimeReplayer(pointInTime),
                new MonitoringMetrics(prometheus),
                base.clock(),
                options.monitoring()));
    return new Services(
        base,
        tiers,
        metrics,
        prometheus,
        pressure,
        snapshotWorkers,
        snapshots,
        pointInTime,
        monitor);
  }

  /** The views whose rows are events: their writes change tiles, not records. */
  private static Set<String> eventViews(Base base) {
    Set<String> names = new HashSet<>();
    base.registry()
        .views()
        .forEach(
            v -> {
              if (v.isEvents()) {
                names.add(v.name());
              }
            });
    return names;
  }

  /** Each view's history retention, for the views whose schema limits it. */
  private static Map<String, Duration> retention(Registry registry) {
    Map<String, Duration> retention = new HashMap<>();
    registry.views().forEach(v -> v.retention().ifPresent(r -> retention.put(v.name(), r)));
    return retention;
  }

  private static Routes routes(Services services) {
    Base base = services.base();
    FreshetOptions options = base.options();
    Tiers tiers = services.tiers();
    FreshetMetrics metrics = services.metrics();
    FreshnessReport freshness =
        new FreshnessReport(base.registry(), tiers.watermarks(), base.clock());
    gauges(services, freshness);
    SelectionCache selections = new SelectionCache(base.registry(), base.catalog());
    SnapshotStore snapshots = services.snapshots();
    PointInTimeEngine pointInTime = services.pointInTime();
    return new Routes(
        options,
        new RequestTimer(metrics),
        new AdmissionControl(options.admission(), metrics),
        services.pressure(),
        new HealthHandler(tiers.warm(), tiers.cold(), services.prometheus()),
        new RegistryHandler(base.registry(), base.catalog()),
        new FreshnessHandler(freshness),
        new OnlineHandler(
            base.registry(),
            selections,
            // Four reads a Postgres connection: enough to ride out a Redis hiccup, few enough that
            // a Redis slowed by load cannot queue every request on Postgres.
            new OnlineReads(
                tiers,
                new TileReader(
                    tiers.hot(), tiers.tiles(), tiers.events(), metrics, options.hotMaxLifetime()),
                base.clock(),
                metrics,
                4 * options.pgPoolSize()),
            options.maxOnlineEntities(),
            services.monitor()),
        new IngestHandler(
            new IngestService(
                base.registry(), tiers, base.clock(), metrics, options.maxIngestRows())),
        new AsOfHandler(base.registry(), pointInTime, base.clock()),
        new HistoricalHandler(
            new SnapshotRequestParser(selections, base.registry()),
            pointInTime,
            snapshots,
            base.clock(),
            options.maxSnapshotRows()),
        new FitHandler(
            new TransformationFitter(
                base.vertx(),
                base.pool(),
                base.registry(),
                base.catalog(),
                snapshots,
                base.clock())),
        new MonitoringHandler(services.monitor()));
  }

  private static void gauges(Services services, FreshnessReport freshness) {
    FreshetMetrics metrics = services.metrics();
    Tiers tiers = services.tiers();
    for (FeatureView view : services.base().registry().views()) {
      metrics.viewGauge(
          "freshet_view_lag_seconds",
          "Time since the newest event written to the view (NaN before any)",
          view.name(),
          () -> freshness.lagMs(view).map(ms -> ms / 1000.0).orElse(Double.NaN));
    }
    metrics.gauge(
        "freshet_change_feed_subscribed",
        "1 while this instance hears other instances' writes (hot tier in use)",
        () -> tiers.hot().coherent() ? 1 : 0);
    metrics.gauge("freshet_hot_entries", "Entries in the hot tier", tiers.hot()::size);
    metrics.gauge(
        "freshet_warm_pending_repairs",
        "Keys to drop from Redis on recovery",
        tiers.warm()::pendingRepairs);
    metrics.gauge(
        "freshet_tier_up_warm", "1 when Redis answers", () -> tiers.warm().isUp() ? 1 : 0);
    metrics.gauge(
        "freshet_tier_up_cold", "1 when Postgres answers", () -> tiers.cold().isUp() ? 1 : 0);
  }

  /** The health timer's round: tiers probed, old idempotency keys forgotten, gaps reloaded. */
  private static void probe(Services services) {
    Base base = services.base();
    Tiers tiers = services.tiers();
    tiers.warm().check();
    tiers.cold().check();
    tiers.cold().forgetKeysOlderThan(base.options().idempotencyRetention());
    tiers.watermarks().reloadIfStale();
    tiers.cold().partitions().maintain(Timestamps.nowMicros(base.clock()));
    tiers.cold().eventPartitions().maintain(Timestamps.nowMicros(base.clock()));
    // Another instance's fit reaches this one here, within one interval.
    base.catalog().refresh(base.vertx(), base.pool());
  }

  private static Future<String> deployServers(
      Base base, Routes routes, List<HttpServerVerticle> servers) {
    return base.vertx()
        .deployVerticle(
            () -> {
              HttpServerVerticle server = new HttpServerVerticle(base.options(), routes);
              synchronized (servers) {
                servers.add(server);
              }
              return server;
            },
            new DeploymentOptions().setInstances(base.options().eventLoops()));
  }

  private static Pool pgPool(Vertx vertx, FreshetOptions options) {
    PgConnectOptions connect =
        PgConnectOptions.fromUri(options.pgUrl())
            .addProperty("search_path", options.pgSchema())
            .addProperty("application_name", "freshet")
            // Idempotent DDL at start says "already exists" as NOTICEs, which are not news.
            .addProperty("client_min_messages", "warning");
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(options.pgPoolSize()).setMaxWaitQueueSize(4096))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  public int port() {
    return port;
  }

  public Registry registry() {
    return registry;
  }

  /** The tiers, for tests and operators that look behind the API (clearing, probing). */
  public Tiers tiers() {
    return tiers;
  }

  public Pool pool() {
    return pool;
  }

  /** The monitoring of feature services, for tests that flush counts instead of waiting. */
  public Monitor monitor() {
    return monitor;
  }

  /** Stops serving, then closes the pools; in-flight requests finish first. */
  public Future<Void> close() {
    vertx.cancelTimer(healthTimer);
    tiers.feed().close();
    metrics.close();
    return vertx
        .undeploy(deploymentId)
        .eventually(monitor::close)
        .eventually(
            () -> {
              snapshotWorkers.close();
              return Future.succeededFuture();
            })
        .eventually(redis::close)
        .eventually(pool::close);
  }
}
