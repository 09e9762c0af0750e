package io.freshet;

import com.github.benmanes.caffeine.cache.Ticker;
import io.freshet.config.FreshetOptions;
import io.freshet.freshness.FreshnessReport;
import io.freshet.freshness.ViewWatermarks;
import io.freshet.http.Handlers;
import io.freshet.http.HttpServerVerticle;
import io.freshet.ingest.IngestService;
import io.freshet.metrics.FreshetMetrics;
import io.freshet.pit.PointInTimeEngine;
import io.freshet.pit.SnapshotStore;
import io.freshet.pit.TransformationFitter;
import io.freshet.registry.FeatureView;
import io.freshet.registry.Registry;
import io.freshet.registry.RegistryVersions;
import io.freshet.registry.SchemaLoader;
import io.freshet.registry.SchemaSet;
import io.freshet.store.OnlineReads;
import io.freshet.store.TieredStore;
import io.freshet.tier.ChangeFeed;
import io.freshet.tier.ColdTier;
import io.freshet.tier.HotTier;
import io.freshet.tier.PgMigrations;
import io.freshet.tier.WarmTier;
import io.freshet.transform.TransformEngine;
import io.freshet.transform.TransformationCatalog;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Freshet: the tiers, the registry, the services and the HTTP servers, wired once. Main
 * starts one; tests start several with their own schema, key prefix and clock.
 */
public final class Freshet {

  private final Vertx vertx;
  private final Pool pool;
  private final Redis redis;
  private final Registry registry;
  private final TieredStore store;
  private final ChangeFeed feed;
  private final int port;
  private final String deploymentId;
  private final long healthTimer;
  private final FreshetMetrics metrics;
  private final WorkerExecutor snapshotWorkers;

  private Freshet(
      Vertx vertx,
      Pool pool,
      Redis redis,
      Registry registry,
      TieredStore store,
      ChangeFeed feed,
      int port,
      String deploymentId,
      long healthTimer,
      FreshetMetrics metrics,
      WorkerExecutor snapshotWorkers) {
    this.vertx = vertx;
    this.pool = pool;
    this.redis = redis;
    this.registry = registry;
    this.store = store;
    this.feed = feed;
    this.port = port;
    this.deploymentId = deploymentId;
    this.healthTimer = healthTimer;
    this.metrics = metrics;
    this.snapshotWorkers = snapshotWorkers;
  }

  /** What start-up reads from disk, loaded on a worker thread. */
  private record Loaded(SchemaSet schemas, List<PgMigrations.Migration> migrations) {}

  public static Future<Freshet> start(
      Vertx vertx, FreshetOptions options, Clock clock, Ticker ticker) {
    return vertx
        .executeBlocking(() -> load(options))
        .compose(loaded -> wire(vertx, options, clock, ticker, loaded));
  }

  private static Loaded load(FreshetOptions options) throws Exception {
    return new Loaded(SchemaLoader.load(options.schemasDir()), PgMigrations.load());
  }

  private static Future<Freshet> wire(
      Vertx vertx, FreshetOptions options, Clock clock, Ticker ticker, Loaded loaded) {
    Pool pool = pgPool(vertx, options);
    Redis redis =
        Redis.createClient(
            vertx,
            new RedisOptions()
                .setConnectionString(options.redisUrl())
                .setMaxPoolSize(options.eventLoops() * 2 + 8)
                .setMaxPoolWaiting(4096)
                .setMaxWaitingHandlers(65536));
    TransformationCatalog catalog = new TransformationCatalog(loaded.schemas());
    return PgMigrations.apply(pool, options.pgSchema(), loaded.migrations())
        .compose(applied -> RegistryVersions.register(pool, loaded.schemas()))
        .compose(
            registry ->
                catalog
                    .refresh(vertx, pool)
                    .compose(
                        built ->
                            deploy(vertx, options, clock, ticker, catalog, registry, pool, redis)))
        .onFailure(
            e -> {
              pool.close();
              redis.close();
            });
  }

  private static Future<Freshet> deploy(
      Vertx vertx,
      FreshetOptions options,
      Clock clock,
      Ticker ticker,
      TransformationCatalog catalog,
      Registry registry,
      Pool pool,
      Redis redis) {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<String> viewNames = new ArrayList<>();
    registry.views().forEach(v -> viewNames.add(v.name()));
    FreshetMetrics metrics = new FreshetMetrics(prometheus, viewNames);
    HotTier hot = HotTier.create(options.hotMaxEntries(), options.hotMaxLifetime(), ticker);
    WarmTier warm = WarmTier.create(redis, options.redisKeyPrefix(), options.redisTimeout());
    ColdTier cold = ColdTier.create(pool);
    ChangeFeed feed =
        ChangeFeed.create(vertx, redis, options.redisKeyPrefix(), options.feedHeartbeat());
    ViewWatermarks watermarks = new ViewWatermarks();
    TieredStore store = new TieredStore(hot, warm, cold, feed, watermarks, metrics);
    FreshnessReport freshness = new FreshnessReport(registry, watermarks, clock);
    for (FeatureView view : registry.views()) {
      metrics.viewGauge(
          "freshet_view_lag_seconds",
          "Time since the newest event written to the view (NaN before any)",
          view.name(),
          () -> freshness.lagMs(view).map(ms -> ms / 1000.0).orElse(Double.NaN));
    }
    metrics.gauge(
        "freshet_change_feed_subscribed",
        "1 while this instance hears other instances' writes (hot tier in use)",
        () -> store.hotCoherent() ? 1 : 0);
    metrics.gauge("freshet_hot_entries", "Entries in the hot tier", hot::size);
    metrics.gauge(
        "freshet_warm_pending_repairs",
        "Keys to drop from Redis on recovery",
        warm::pendingRepairs);
    metrics.gauge("freshet_tier_up_warm", "1 when Redis answers", () -> warm.isUp() ? 1 : 0);
    metrics.gauge("freshet_tier_up_cold", "1 when Postgres answers", () -> cold.isUp() ? 1 : 0);
    SnapshotStore snapshots = new SnapshotStore(pool, registry, catalog);
    // Snapshot joins and encoding get their own threads (FRESHET_SNAPSHOT_THREADS, one per event
    // loop unless set): a large snapshot neither holds up an event loop nor takes the pool other
    // blocking work runs on.
    WorkerExecutor snapshotWorkers =
        vertx.createSharedWorkerExecutor("freshet-snapshots", options.snapshotThreads());
    Handlers handlers =
        new Handlers(
            registry,
            catalog,
            new IngestService(registry, store, clock, metrics, options.maxIngestRows()),
            new OnlineReads(store, clock, metrics),
            freshness,
            warm,
            cold,
            metrics,
            prometheus,
            new PointInTimeEngine(
                cold, new TransformEngine(metrics), snapshotWorkers, options.eventLoops()),
            snapshots,
            new TransformationFitter(vertx, pool, registry, catalog, snapshots, clock),
            clock,
            options);
    List<HttpServerVerticle> servers = new ArrayList<>();
    long healthTimer =
        vertx.setPeriodic(
            options.healthInterval().toMillis(),
            id -> {
              warm.check();
              cold.check();
              cold.forgetKeysOlderThan(options.idempotencyRetention());
              store.reloadWatermarksIfStale();
              // Another instance's fit reaches this one here, within one interval.
              catalog.refresh(vertx, pool);
            });
    return cold.watermarks()
        .onSuccess(marks -> marks.forEach(watermarks::advance))
        .compose(marks -> warm.check().recover(e -> Future.succeededFuture()))
        .compose(checked -> feed.start(store))
        .compose(
            checked ->
                vertx.deployVerticle(
                    () -> {
                      HttpServerVerticle server = new HttpServerVerticle(options, handlers);
                      synchronized (servers) {
                        servers.add(server);
                      }
                      return server;
                    },
                    new DeploymentOptions().setInstances(options.eventLoops())))
        .map(
            id ->
                new Freshet(
                    vertx,
                    pool,
                    redis,
                    registry,
                    store,
                    feed,
                    servers.get(0).actualPort(),
                    id,
                    healthTimer,
                    metrics,
                    snapshotWorkers))
        .onFailure(
            e -> {
              vertx.cancelTimer(healthTimer);
              feed.close();
              metrics.close();
              snapshotWorkers.close();
            });
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

  public TieredStore store() {
    return store;
  }

  public Pool pool() {
    return pool;
  }

  /** Stops serving, then closes the pools; in-flight requests finish first. */
  public Future<Void> close() {
    vertx.cancelTimer(healthTimer);
    feed.close();
    metrics.close();
    return vertx
        .undeploy(deploymentId)
        .eventually(snapshotWorkers::close)
        .eventually(redis::close)
        .eventually(pool::close);
  }
}
